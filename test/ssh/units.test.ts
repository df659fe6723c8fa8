/** The pure parts of the SSH layer: quoting, known_hosts matching, option precedence. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  fingerprint,
  hostKeyStatus,
  knownHostLine,
  knownHostName,
  knownKeyTypes,
  parseKnownHosts,
  patternsMatch,
} from '../../src/core/ssh/known-hosts.js'
import { SshConfigFile } from '../../src/core/ssh/config.js'
import { expandTokens, parseJump, resolveHost } from '../../src/core/ssh/options.js'
import { remoteScript, shellJoin, shellQuote } from '../../src/core/ssh/quote.js'
import { signalStatus } from '../../src/core/ssh/session.js'

/** An ed25519 public key blob with a recognisable body. */
function blob(fill: number, type = 'ssh-ed25519'): Buffer {
  const t = Buffer.from(type)
  const body = Buffer.alloc(32, fill)
  const b = Buffer.alloc(4 + t.length + 4 + body.length)
  b.writeUInt32BE(t.length, 0)
  t.copy(b, 4)
  b.writeUInt32BE(body.length, 4 + t.length)
  body.copy(b, 8 + t.length)
  return b
}

describe('shell quoting', () => {
  const hostile = ["it's", 'a b', '"x"', '$(touch /tmp/nope)', '`id`', 'a;b', 'new\nline', '', '*', '\\', "'", "''", '~', '-n']

  it('a real sh gets every word back literally', () => {
    const out = execFileSync('sh', ['-c', `printf '[%s]\\n' ${shellJoin(hostile)}`], { encoding: 'utf8' })
    expect(out).toBe(hostile.map((w) => `[${w}]\n`).join(''))
  })

  it('leaves plain words bare and quotes the rest', () => {
    expect(shellQuote('stdout')).toBe('stdout')
    expect(shellQuote('/var/lib/mesos/slaves/S1')).toBe('/var/lib/mesos/slaves/S1')
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
    expect(shellQuote('')).toBe("''")
  })

  it('the remote script cds into the sandbox, warns when it is gone, then runs the command', () => {
    const dir = `/tmp/we'ird $(x) ;dir`
    const script = remoteScript({ directory: dir, argv: ['pwd'] })
    expect(script).toBe(
      `cd -- '/tmp/we'\\''ird $(x) ;dir' 2>/dev/null || printf '%s\\n' 'mesos: warning: /tmp/we'\\''ird $(x) ;dir does not exist on this host; starting in the home directory' >&2; pwd`,
    )
    expect(remoteScript({ argv: ['ls', '-l'] })).toBe('ls -l')
    expect(remoteScript({})).toBe('exec "${SHELL:-/bin/sh}" -l')
  })

  it('signals count as 128+n', () => {
    expect(signalStatus('SIGTERM')).toBe(143)
    expect(signalStatus('KILL')).toBe(137)
  })
})

describe('known_hosts', () => {
  const key = blob(1)
  const other = blob(2)
  const rsa = blob(3, 'ssh-rsa')
  const salt = Buffer.alloc(20, 7)
  const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[10.0.0.5]:2222').digest('base64')}`
  const text = [
    '# comment',
    '',
    `web1.example.com,10.0.0.1 ssh-ed25519 ${key.toString('base64')}`,
    `${hashed} ssh-ed25519 ${key.toString('base64')}`,
    `*.example.com,!bad.example.com ssh-ed25519 ${other.toString('base64')}`,
    `[gw.example.com]:2200 ssh-rsa ${rsa.toString('base64')}`,
    `@revoked * ssh-ed25519 ${blob(9).toString('base64')}`,
    'garbage line',
  ].join('\n')
  const entries = parseKnownHosts(text, '/h/.ssh/known_hosts')

  it('names hosts as OpenSSH does', () => {
    expect(knownHostName('h', 22)).toBe('h')
    expect(knownHostName('h', 2222)).toBe('[h]:2222')
  })

  it('parses entries with their line numbers and skips what it cannot read', () => {
    expect(entries.map((e) => e.line)).toEqual([3, 4, 5, 6, 7])
    expect(entries[4]!.marker).toBe('revoked')
  })

  it('matches plain, hashed, wildcard and negated patterns', () => {
    expect(patternsMatch('web1.example.com,10.0.0.1', '10.0.0.1')).toBe(true)
    expect(patternsMatch(hashed, '[10.0.0.5]:2222')).toBe(true)
    expect(patternsMatch(hashed, '10.0.0.5')).toBe(false)
    expect(patternsMatch('*.example.com,!bad.example.com', 'a.example.com')).toBe(true)
    expect(patternsMatch('*.example.com,!bad.example.com', 'bad.example.com')).toBe(false)
    expect(patternsMatch('web?.example.com', 'web1.EXAMPLE.com')).toBe(true)
  })

  it('tells known, changed, new and revoked keys apart', () => {
    expect(hostKeyStatus(entries, 'web1.example.com', key)).toMatchObject({ kind: 'known', entry: { line: 3 } })
    expect(hostKeyStatus(entries, '[10.0.0.5]:2222', key)).toMatchObject({ kind: 'known', entry: { line: 4 } })
    expect(hostKeyStatus(entries, 'web1.example.com', other)).toMatchObject({ kind: 'known', entry: { line: 5 } })
    expect(hostKeyStatus(entries, '10.0.0.1', other)).toMatchObject({ kind: 'changed', entry: { line: 3 } })
    expect(hostKeyStatus(entries, 'nowhere', key)).toEqual({ kind: 'new', otherTypes: [] })
    expect(hostKeyStatus(entries, '[gw.example.com]:2200', key)).toEqual({ kind: 'new', otherTypes: ['ssh-rsa'] })
    expect(hostKeyStatus(entries, 'web1.example.com', blob(9))).toMatchObject({ kind: 'revoked', entry: { line: 7 } })
    expect(knownKeyTypes(entries, '[gw.example.com]:2200')).toEqual(['ssh-rsa'])
  })

  it('writes lines it can read back, hashed when asked', () => {
    for (const hashedLine of [false, true]) {
      const line = knownHostLine('[h]:2222', key, hashedLine)
      const back = parseKnownHosts(line, 'f')
      expect(hostKeyStatus(back, '[h]:2222', key).kind).toBe('known')
      expect(line.startsWith('|1|')).toBe(hashedLine)
    }
    expect(fingerprint(key)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
  })
})

describe('options', () => {
  const ctx = { home: '/home/me', localUser: 'me' }

  it('parses jump specs', () => {
    expect(parseJump('bastion')).toEqual([{ user: undefined, host: 'bastion', port: undefined }])
    expect(parseJump('ops@b1:2222,[::1]:22')).toEqual([
      { user: 'ops', host: 'b1', port: 2222 },
      { user: undefined, host: '::1', port: 22 },
    ])
    expect(parseJump('none')).toEqual([])
    expect(() => parseJump('a:b:c')).toThrow(/invalid jump host "a:b:c"/)
  })

  it('expands ~ and % tokens', () => {
    expect(expandTokens('~/.ssh/id_%h_%r', { home: '/home/me', host: 'h1', user: 'root' })).toBe('/home/me/.ssh/id_h1_root')
    expect(expandTokens('%d/x%%', { home: '/home/me' })).toBe('/home/me/x%')
  })

  it('OpenSSH defaults', () => {
    expect(resolveHost('agent1', {}, ctx)).toMatchObject({
      hostname: 'agent1',
      port: 22,
      user: 'me',
      identityFiles: ['/home/me/.ssh/id_ed25519', '/home/me/.ssh/id_ecdsa', '/home/me/.ssh/id_rsa'],
      identitiesExplicit: false,
      strict: 'ask',
      knownHostsFiles: ['/home/me/.ssh/known_hosts', '/home/me/.ssh/known_hosts2'],
      jump: [],
    })
  })

  it('flags beat the profile, which beats ~/.ssh/config', () => {
    const cfg = {
      hostname: '%h.internal',
      port: '2200',
      user: 'cfg',
      identityfile: ['~/.ssh/cfg_key'],
      proxyjump: 'cfgjump',
      stricthostkeychecking: 'accept-new',
      userknownhostsfile: '~/.ssh/k1 ~/.ssh/k2',
    }
    expect(resolveHost('a1', cfg, ctx)).toMatchObject({
      hostname: 'a1.internal',
      port: 2200,
      user: 'cfg',
      identityFiles: ['/home/me/.ssh/cfg_key'],
      identitiesExplicit: true,
      strict: 'accept-new',
      knownHostsFiles: ['/home/me/.ssh/k1', '/home/me/.ssh/k2'],
      jump: [{ host: 'cfgjump' }],
    })
    const profile = { user: 'prof', port: 2300, identity: '~/p_key', jump: 'pj', strict: 'yes' as const }
    expect(resolveHost('a1', cfg, ctx, { profile })).toMatchObject({
      port: 2300,
      user: 'prof',
      identityFiles: ['/home/me/p_key'],
      strict: 'yes',
      jump: [{ host: 'pj' }],
    })
    const flags = { user: 'flag', port: 2400, identityFile: ['/k1', '/k2'], jump: 'fj:1', strictHostKeyChecking: 'no' as const }
    expect(resolveHost('a1', cfg, ctx, { flags, profile })).toMatchObject({
      port: 2400,
      user: 'flag',
      identityFiles: ['/k1', '/k2'],
      strict: 'no',
      jump: [{ host: 'fj', port: 1 }],
    })
  })

  it('a jump hop takes user and port from its spec, then its own config, never the destination flags', () => {
    const hop = resolveHost('b1', { port: '2022', user: 'cfguser' }, ctx, {
      flags: { user: 'flag', port: 9 },
      hop: { host: 'b1', user: 'ops' },
      sharedIdentities: ['/k'],
    })
    expect(hop).toMatchObject({ port: 2022, user: 'ops', identityFiles: ['/k'], jump: [] })
  })
})

describe('~/.ssh/config', () => {
  it('computes a host from Host patterns (first value wins), following Include files', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mesos-ssh-config-'))
    try {
      mkdirSync(join(home, '.ssh', 'config.d'), { recursive: true })
      writeFileSync(
        join(home, '.ssh', 'config'),
        ['Include config.d/*.conf ~/.ssh/missing', 'Host agent-*', '  User ops', '  Port 2200', 'Host *', '  User nobody', '  Include "~/.ssh/tail"', ''].join('\n'),
      )
      writeFileSync(join(home, '.ssh', 'config.d', '10-a.conf'), 'Host agent-1\n  HostName 10.0.0.1\n  IdentityFile ~/.ssh/a\n')
      writeFileSync(join(home, '.ssh', 'config.d', '20-b.conf'), 'Host agent-*\n  IdentityFile ~/.ssh/b\n')
      writeFileSync(join(home, '.ssh', 'config.d', 'skipped.txt'), 'Host *\n  User wrong\n')
      writeFileSync(join(home, '.ssh', 'tail'), 'StrictHostKeyChecking accept-new\n')
      const cfg = SshConfigFile.inHome(home)
      expect(await cfg.compute('agent-1')).toMatchObject({
        hostname: '10.0.0.1',
        user: 'ops',
        port: '2200',
        identityfile: ['~/.ssh/a', '~/.ssh/b'],
        stricthostkeychecking: 'accept-new',
      })
      expect(await cfg.compute('other')).toMatchObject({ user: 'nobody' })
      expect(await SshConfigFile.inHome(join(home, 'nowhere')).compute('x')).toEqual({})
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })
})
