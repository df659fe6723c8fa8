/**
 * `mesos ssh` end to end: the built CLI against the simulator (whose agents advertise 127.0.0.1 and
 * whose sandboxes are real directories) and real OpenSSH servers on loopback. The simulator's work
 * directory is hostile on purpose: quotes, spaces, `$(...)`, `;` and a newline in every sandbox path.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { cleanEnv, runCli } from '../helpers/cli.js'
import { refusedPort, startSilentServer } from '../helpers/ports.js'
import { type KeyPair, makeKey, type Sshd, startSshd } from '../helpers/sshd.js'

let root: string
let home: string
let key: KeyPair
let sshd: Sshd
let jump: Sshd
let sim: Simulator
let marker: string

/** A HOME of its own: ~/.ssh/config, known_hosts and keys. */
function makeHome(name: string, files: { config?: string; knownHosts?: string } = {}): string {
  const h = join(root, name)
  mkdirSync(join(h, '.ssh'), { recursive: true })
  if (files.config !== undefined) writeFileSync(join(h, '.ssh', 'config'), files.config)
  if (files.knownHosts !== undefined) writeFileSync(join(h, '.ssh', 'known_hosts'), files.knownHosts)
  return h
}

const run = (args: string[], o: { home?: string; input?: string } = {}) =>
  runCli(args, { env: cleanEnv(o.home ?? home, { MESOS_MASTER: sim.masterSpec }), input: o.input })

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesos-ssh-e2e-'))
  marker = join(root, 'marker')
  home = makeHome('home')
  // a key under a name OpenSSH would not try by itself: only ~/.ssh/config's IdentityFile finds it
  key = makeKey(join(home, '.ssh', 'cluster_key'))
  ;[sshd, jump] = await Promise.all([
    startSshd({ authorized: [key.publicLine] }),
    startSshd({ authorized: [key.publicLine], config: ['LogLevel DEBUG1'] }),
  ])
  // known_hosts in a non-default place, named by UserKnownHostsFile
  writeFileSync(
    join(home, '.ssh', 'cluster_hosts'),
    `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n[127.0.0.1]:${jump.port} ${jump.hostKey}\n`,
  )
  writeFileSync(
    join(home, '.ssh', 'config'),
    [
      'Host 127.0.0.1',
      `  Port ${sshd.port}`,
      '  User root',
      '  IdentityFile ~/.ssh/cluster_key',
      '  UserKnownHostsFile ~/.ssh/cluster_hosts',
      '  StrictHostKeyChecking yes',
      '',
    ].join('\n'),
  )
  const workdir = join(root, `sim we'ird "dir" $(touch ${marker}); \`touch ${marker}\` ;x\nline2`)
  sim = await startSimulator({
    scenario: {
      name: 'ssh-e2e',
      agents: 2,
      frameworks: [
        {
          name: 'web',
          tasks: [
            { id: 'web.1', agent: 0 },
            { id: 'web.2', agent: 1 },
            { id: 'gone.1', agent: 1 },
            { id: 'pod.1', agent: 0, group: 'pod' },
          ],
        },
      ],
    },
    logIntervalMs: 0,
    liveEvents: false,
    eagerSandboxes: true,
    workdir,
  })
}, 60_000)

afterAll(async () => {
  await Promise.all([sim?.stop(), sshd?.stop(), jump?.stop()])
  rmSync(root, { recursive: true, force: true })
})

describe('running a command in the sandbox', () => {
  it('pwd prints the real sandbox directory, hostile characters and all, and runs nothing else', async () => {
    const r = await run(['ssh', 'web.1', '--', 'pwd'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(sim.sandboxPath('web.1')).toContain('\n')
    expect(r.stdout).toBe(`${sim.sandboxPath('web.1')}\n`)
    expect(existsSync(marker)).toBe(false)
  })

  it('a task of a task group starts in its own directory under the executor sandbox', async () => {
    const r = await run(['ssh', 'pod.1', '--', 'pwd'])
    expect(sim.sandboxPath('pod.1')).toMatch(/\/tasks\/pod\.1$/)
    expect(r).toMatchObject({ code: 0, stdout: `${sim.sandboxPath('pod.1')}\n`, stderr: '' })
  })

  it('passes each argument through as one literal word', async () => {
    const words = ['a b', `$(touch ${marker})`, "it's", '"quoted"', ';ls', 'new\nline', '*', '']
    const r = await run(['ssh', 'web.1', '--', 'printf', '[%s]\\n', ...words])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(words.map((w) => `[${w}]\n`).join(''))
    expect(existsSync(marker)).toBe(false)
  })

  it('exits with the remote exit status, and 128+n for a signal', async () => {
    expect((await run(['ssh', 'web.1', '--', 'sh', '-c', 'exit 7'])).code).toBe(7)
    expect((await run(['ssh', 'web.1', '--', 'false'])).code).toBe(1)
    const killed = await run(['ssh', 'web.1', '--', 'sh', '-c', 'kill -TERM $$'])
    expect(killed.code).toBe(143)
    expect(killed.stderr).toBe('')
  })

  it('keeps stdout and stderr apart', async () => {
    const r = await run(['ssh', 'web.1', '--', 'sh', '-c', 'echo out; echo err >&2'])
    expect(r).toMatchObject({ code: 0, stdout: 'out\n', stderr: 'err\n' })
  })

  it('-t runs the command on a terminal (stdout and stderr then share it)', async () => {
    const plain = await run(['ssh', 'web.1', '--', 'sh', '-c', 'tty; echo err >&2'])
    expect(plain.stdout).toBe('not a tty\n')
    const forced = await run(['ssh', '-t', 'web.1', '--', 'sh', '-c', 'tty; echo err >&2'])
    expect(forced.code).toBe(0)
    expect(forced.stdout).toMatch(/^\/dev\/pts\/\d+\r\nerr\r\n$/)
    expect(forced.stderr).toBe('')
  })

  it('forwards stdin, and its end', async () => {
    const input = 'first line\nsecond line\n'
    const r = await run(['ssh', 'web.1', '--', 'sh', '-c', 'cat > from-stdin.txt && wc -l < from-stdin.txt'], { input })
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe('2')
    expect(readFileSync(join(sim.sandboxPath('web.1'), 'from-stdin.txt'), 'utf8')).toBe(input)
  })

  it('without COMMAND and without a terminal, the login shell reads stdin, in the sandbox', async () => {
    const r = await run(['ssh', 'web.2'], { input: 'pwd\nexit 3\n' })
    expect(r.stdout).toBe(`${sim.sandboxPath('web.2')}\n`)
    expect(r.code).toBe(3)
  })

  it('a sandbox that is gone: a warning, then the home directory', async () => {
    rmSync(sim.sandboxPath('gone.1'), { recursive: true, force: true })
    const r = await run(['ssh', 'gone.1', '--', 'pwd'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('/root\n')
    expect(r.stderr).toMatch(/^mesos: warning: .* does not exist on this host; starting in the home directory\n$/s)
  })

  it('needs exactly one task: several matches list the candidates (exit 3)', async () => {
    const r = await run(['ssh', 'web', '--', 'pwd'])
    expect(r.code).toBe(3)
    expect(r.stderr).toBe(
      'mesos: 2 tasks match "web"; this command needs exactly one\nweb.1\nweb.2\nhint: give the full task ID or a longer fragment\n',
    )
  })
})

describe('options from flags, the profile and ~/.ssh/config', () => {
  it('without the config the defaults (port 22, ~/.ssh/id_*) are used, and fail here', async () => {
    const bare = makeHome('bare')
    const port = await refusedPort()
    const r = await run(['ssh', 'web.1', '-p', String(port), '--', 'pwd'], { home: bare })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(`mesos: cannot reach 127.0.0.1:${port}: connection refused\n`)
  })

  it('a flag beats ~/.ssh/config: -p names another port', async () => {
    const port = await refusedPort()
    const r = await run(['ssh', '-p', String(port), 'web.1', '--', 'true'])
    expect(r.stderr).toBe(`mesos: cannot reach 127.0.0.1:${port}: connection refused\n`)
  })

  it('the profile beats ~/.ssh/config, and flags beat the profile', async () => {
    const profiled = makeHome('profiled')
    writeFileSync(join(profiled, '.ssh', 'config'), readFileSync(join(home, '.ssh', 'config')))
    const bad = await refusedPort()
    writeFileSync(join(profiled, '.mesos.json'), JSON.stringify({ default: { ssh_port: bad } }))
    const viaProfile = await run(['ssh', 'web.1', '--', 'true'], { home: profiled })
    expect(viaProfile.stderr).toBe(`mesos: cannot reach 127.0.0.1:${bad}: connection refused\n`)
    // the known_hosts and key named in ~/.ssh/config live in the main HOME
    writeFileSync(
      join(profiled, '.ssh', 'config'),
      readFileSync(join(home, '.ssh', 'config'), 'utf8').replaceAll('~/.ssh/', `${home}/.ssh/`),
    )
    const viaFlag = await run(['ssh', '-p', String(sshd.port), 'web.1', '--', 'echo', 'ok'], { home: profiled })
    expect(viaFlag).toMatchObject({ code: 0, stdout: 'ok\n' })
  })

  it('ConnectTimeout bounds a server that never speaks SSH', async () => {
    const silent = await startSilentServer()
    const port = silent.port
    try {
      const h = makeHome('silent', { config: `Host 127.0.0.1\n  Port ${port}\n  ConnectTimeout 1\n` })
      const r = await run(['ssh', 'web.1', '--', 'true'], { home: h })
      expect(r.stderr).toBe(`mesos: cannot reach 127.0.0.1:${port}: no SSH handshake within 1 s\n`)
      expect(r.code).toBe(1)
    } finally {
      await silent.close()
    }
  })

  it('the profile\'s ssh_user, ssh_identity and ssh_strict_host_keys', async () => {
    const h = makeHome('profile-keys', { config: `Host 127.0.0.1\n  Port ${sshd.port}\n  User nobody\n  StrictHostKeyChecking yes\n` })
    writeFileSync(
      join(h, '.mesos.json'),
      JSON.stringify({ default: { ssh_user: 'root', ssh_identity: key.path, ssh_strict_host_keys: 'accept-new' } }),
    )
    const r = await run(['ssh', 'web.1', '--', 'id', '-un'], { home: h })
    expect(r).toMatchObject({ code: 0, stdout: 'root\n' })
    expect(r.stderr).toMatch(/^mesos: added \[127\.0\.0\.1\]:\d+ /)
  })

  it('a key the server does not know: permission denied, naming what was tried', async () => {
    const other = makeKey(join(root, 'other_key'))
    const r = await run(['ssh', '--identity-file', other.path, 'web.1', '--', 'true'])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      `mesos: permission denied for root@127.0.0.1:${sshd.port} (tried ${other.path}; the server accepts publickey)\n` +
        'hint: choose a key with --identity-file, a user with -l, or add your key to ssh-agent\n',
    )
  })

  it('-l names the remote user', async () => {
    const r = await run(['ssh', '-l', 'nobody', 'web.1', '--', 'true'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^mesos: permission denied for nobody@127\.0\.0\.1:/)
  })

  it('keys from ssh-agent (SSH_AUTH_SOCK)', async () => {
    const agentHome = makeHome('agent', {
      config: `Host 127.0.0.1\n  Port ${sshd.port}\n  User root\n`,
      knownHosts: `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`,
    })
    const { execFileSync } = await import('node:child_process')
    const sock = join(root, 'agent.sock')
    const out = execFileSync('ssh-agent', ['-a', sock, '-s'], { encoding: 'utf8' })
    const pid = /SSH_AGENT_PID=(\d+)/.exec(out)![1]!
    try {
      execFileSync('ssh-add', ['-q', key.path], { env: { ...process.env, SSH_AUTH_SOCK: sock } })
      const env = cleanEnv(agentHome, { MESOS_MASTER: sim.masterSpec, SSH_AUTH_SOCK: sock })
      const r = await runCli(['ssh', 'web.1', '--', 'echo', 'via agent'], { env })
      expect(r).toMatchObject({ code: 0, stdout: 'via agent\n' })
      const without = await run(['ssh', 'web.1', '--', 'true'], { home: agentHome })
      expect(without.stderr).toMatch(/^mesos: permission denied for root@127\.0\.0\.1:\d+ \(no key found to try/)
    } finally {
      process.kill(Number(pid))
    }
  })
})

describe('host keys', () => {
  const config = () => `Host 127.0.0.1\n  Port ${sshd.port}\n  User root\n  IdentityFile ${key.path}\n`

  it('an unknown key is refused with "yes"', async () => {
    const h = makeHome('hk-yes', { config: config() })
    const r = await run(['ssh', '--strict-host-key-checking', 'yes', 'web.1', '--', 'true'], { home: h })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      new RegExp(`^mesos: the host key of \\[127\\.0\\.0\\.1\\]:${sshd.port} \\(ED25519 key SHA256:\\S+\\) is not in ~/\\.ssh/known_hosts\n`),
    )
    expect(existsSync(join(h, '.ssh', 'known_hosts'))).toBe(false)
  })

  it('"ask" refuses when there is no terminal to ask on (the default)', async () => {
    const h = makeHome('hk-ask', { config: config() })
    const r = await run(['ssh', 'web.1', '--', 'true'], { home: h })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/is not known, and there is no terminal to ask\n/)
  })

  it('"accept-new" records the key, which is then known', async () => {
    const h = makeHome('hk-new', { config: config(), knownHosts: '# mine\n' })
    const r = await run(['ssh', '--strict-host-key-checking', 'accept-new', 'web.1', '--', 'echo', 'hi'], { home: h })
    expect(r).toMatchObject({ code: 0, stdout: 'hi\n' })
    expect(r.stderr).toMatch(/^mesos: added \[127\.0\.0\.1\]:\d+ \(ED25519 key SHA256:\S+\) to ~\/\.ssh\/known_hosts\n$/)
    expect(readFileSync(join(h, '.ssh', 'known_hosts'), 'utf8')).toBe(`# mine\n[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`)
    const again = await run(['ssh', '--strict-host-key-checking', 'yes', 'web.1', '--', 'echo', 'hi'], { home: h })
    expect(again).toMatchObject({ code: 0, stdout: 'hi\n', stderr: '' })
  })

  it('a changed key is refused, naming the known_hosts line, even with accept-new', async () => {
    const h = makeHome('hk-changed', { config: config() })
    const stranger = makeKey(join(root, 'stranger'))
    writeFileSync(
      join(h, '.ssh', 'known_hosts'),
      `# first line\n[127.0.0.1]:${sshd.port} ${stranger.publicLine.split(' ').slice(0, 2).join(' ')}\n`,
    )
    const r = await run(['ssh', '--strict-host-key-checking', 'accept-new', 'web.1', '--', 'true'], { home: h })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      new RegExp(
        `^mesos: the host key of \\[127\\.0\\.0\\.1\\]:${sshd.port} has changed: it sent ED25519 key SHA256:\\S+, but ~/\\.ssh/known_hosts:2 records another; possible man-in-the-middle\nhint: if the host was reinstalled, remove the old key: ssh-keygen -R `,
      ),
    )
  })

  it('"no" connects to a changed key, loudly, and leaves known_hosts alone', async () => {
    const h = makeHome('hk-no', { config: config() })
    const stranger = makeKey(join(root, 'stranger-no'))
    const recorded = `[127.0.0.1]:${sshd.port} ${stranger.publicLine.split(' ').slice(0, 2).join(' ')}\n`
    writeFileSync(join(h, '.ssh', 'known_hosts'), recorded)
    const r = await run(['ssh', '--strict-host-key-checking', 'no', 'web.1', '--', 'echo', 'in'], { home: h })
    expect(r).toMatchObject({ code: 0, stdout: 'in\n' })
    expect(r.stderr).toMatch(/^mesos: warning: the host key of .* has changed: .* ~\/\.ssh\/known_hosts:1 records another; possible man-in-the-middle; connecting anyway \(strict host key checking is "no"\)\n$/)
    expect(readFileSync(join(h, '.ssh', 'known_hosts'), 'utf8')).toBe(recorded)
  })

  it('hashed known_hosts entries are understood', async () => {
    const { execFileSync } = await import('node:child_process')
    const h = makeHome('hk-hashed', { config: config(), knownHosts: `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n` })
    execFileSync('ssh-keygen', ['-q', '-H', '-f', join(h, '.ssh', 'known_hosts')], { stdio: 'ignore' })
    expect(readFileSync(join(h, '.ssh', 'known_hosts'), 'utf8')).toMatch(/^\|1\|/)
    const r = await run(['ssh', '--strict-host-key-checking', 'yes', 'web.1', '--', 'echo', 'hashed'], { home: h })
    expect(r).toMatchObject({ code: 0, stdout: 'hashed\n', stderr: '' })
  })
})

describe('jump hosts', () => {
  it('-J tunnels through a second sshd', async () => {
    const r = await run(['ssh', '-J', `root@127.0.0.1:${jump.port}`, 'web.1', '--', 'pwd'])
    expect(r.stderr).toBe('')
    expect(r).toMatchObject({ code: 0, stdout: `${sim.sandboxPath('web.1')}\n` })
    expect(jump.log()).toContain(`direct_tcpip: originator 127.0.0.1 port 0, target 127.0.0.1 port ${sshd.port}`)
  })

  it('ProxyJump in ~/.ssh/config, and the hop key is verified too', async () => {
    const h = makeHome('jump-config', {
      config: `Host 127.0.0.1\n  Port ${sshd.port}\n  User root\n  IdentityFile ${key.path}\n  ProxyJump 127.0.0.1:${jump.port}\n`,
      // only the destination is known: the jump host's key is not
      knownHosts: `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`,
    })
    const refused = await run(['ssh', '--strict-host-key-checking', 'yes', 'web.1', '--', 'true'], { home: h })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(new RegExp(`^mesos: jump host 127\\.0\\.0\\.1:${jump.port}: the host key of \\[127\\.0\\.0\\.1\\]:${jump.port} `))
    writeFileSync(join(h, '.ssh', 'known_hosts'), `[127.0.0.1]:${jump.port} ${jump.hostKey}\n`, { flag: 'a' })
    const ok = await run(['ssh', '--strict-host-key-checking', 'yes', 'web.1', '--', 'echo', 'through'], { home: h })
    expect(ok).toMatchObject({ code: 0, stdout: 'through\n', stderr: '' })
  })

  it('an unreachable jump host, and a destination the jump host cannot reach', async () => {
    const closed = await refusedPort()
    const down = await run(['ssh', '-J', `127.0.0.1:${closed}`, 'web.1', '--', 'true'])
    expect(down.stderr).toBe(`mesos: jump host 127.0.0.1:${closed}: cannot reach 127.0.0.1:${closed}: connection refused\n`)
    const unreachable = await run(['ssh', '-J', `127.0.0.1:${jump.port}`, '-p', String(closed), 'web.1', '--', 'true'])
    expect(unreachable.code).toBe(1)
    expect(unreachable.stderr).toBe(
      `mesos: jump host 127.0.0.1:${jump.port} cannot reach 127.0.0.1:${closed}: connection refused\n`,
    )
  })
})
