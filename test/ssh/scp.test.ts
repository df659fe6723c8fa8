/**
 * `mesos scp` end to end: three simulated agents, each mapped by ~/.ssh/config to a real sshd on
 * loopback: one that accepts, one whose SFTP is read-only (permission denied on upload), one that
 * does not know our key (authentication refused).
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { cleanEnv, runCli } from '../helpers/cli.js'
import { makeKey, type Sshd, startSshd } from '../helpers/sshd.js'
import { Tmux } from './tmux.js'

let root: string
let home: string
let good: Sshd
let readOnly: Sshd
let stranger: Sshd
let sim: Simulator
let src: string

const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  runCli(args, { env: cleanEnv(home, { MESOS_MASTER: sim.masterSpec, ...extra }) })

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesos-scp-e2e-'))
  home = join(root, 'home')
  mkdirSync(join(home, '.ssh'), { recursive: true })
  const key = makeKey(join(home, '.ssh', 'id_ed25519'))
  const otherKey = makeKey(join(root, 'other_key'))
  ;[good, readOnly, stranger] = await Promise.all([
    startSshd({ authorized: [key.publicLine] }),
    startSshd({ authorized: [key.publicLine], sftp: 'internal-sftp -R' }),
    startSshd({ authorized: [otherKey.publicLine] }),
  ])
  writeFileSync(
    join(home, '.ssh', 'config'),
    [
      'Host agent-0.sim',
      `  Port ${good.port}`,
      'Host agent-1.sim',
      `  Port ${readOnly.port}`,
      'Host agent-2.sim',
      `  Port ${stranger.port}`,
      'Host *.sim',
      '  HostName 127.0.0.1',
      '  User root',
      '  StrictHostKeyChecking yes',
      '',
    ].join('\n'),
  )
  writeFileSync(
    join(home, '.ssh', 'known_hosts'),
    [good, readOnly, stranger].map((s) => `[127.0.0.1]:${s.port} ${s.hostKey}\n`).join(''),
  )
  sim = await startSimulator({
    scenario: { name: 'scp-e2e', agents: 3, frameworks: [] },
    logIntervalMs: 0,
    liveEvents: false,
  })
  // Real agents advertise their own names; the simulator's all say 127.0.0.1. scp only needs the
  // master's agent list, so name them here and let ~/.ssh/config map each name to its sshd.
  for (const a of sim.cluster.agents.values()) a.hostname = `agent-${a.index}.sim`

  src = join(root, 'src')
  mkdirSync(join(src, 'conf', 'sub'), { recursive: true })
  writeFileSync(join(src, 'run.sh'), '#!/bin/sh\necho run\n')
  chmodSync(join(src, 'run.sh'), 0o755)
  writeFileSync(join(src, 'conf', 'app.properties'), 'a=1\n')
  writeFileSync(join(src, 'conf', 'sub', 'deep.txt'), 'deep\n')
}, 60_000)

afterAll(async () => {
  await Promise.all([sim?.stop(), good?.stop(), readOnly?.stop(), stranger?.stop()])
  rmSync(root, { recursive: true, force: true })
})

describe('scp', () => {
  it('uploads to every agent, one line per (agent, file) in a stable order; failures are partial, exit 1', async () => {
    const dest = join(root, 'dest')
    mkdirSync(dest)
    // agent-0 and agent-1 share this machine's disk: one agent at a time makes agent-1 meet the
    // directory agent-0 created (and fail inside it) every time
    const serial = join(root, 'serial.json')
    writeFileSync(serial, JSON.stringify({ default: { max_workers: 1 } }))
    const r = await run(['scp', join(src, 'run.sh'), join(src, 'conf'), dest], { MESOS_CLI_CONFIG: serial })
    expect(r.stdout).toBe(
      [
        `agent-0.sim:${dest}/run.sh\tuploaded`,
        `agent-0.sim:${dest}/conf\tuploaded`,
        `agent-1.sim:${dest}/run.sh\tfailed: permission denied`,
        `agent-1.sim:${dest}/conf\tfailed: permission denied: ${dest}/conf/app.properties`,
        `agent-2.sim:${dest}/run.sh\tfailed: permission denied for root@agent-2.sim (127.0.0.1:${stranger.port}) (tried ~/.ssh/id_ed25519; the server accepts publickey)`,
        `agent-2.sim:${dest}/conf\tfailed: permission denied for root@agent-2.sim (127.0.0.1:${stranger.port}) (tried ~/.ssh/id_ed25519; the server accepts publickey)`,
        '',
      ].join('\n'),
    )
    expect(r.stderr).toBe('mesos: 4 of 6 uploads failed\n')
    expect(r.code).toBe(1)
    expect(readFileSync(join(dest, 'run.sh'), 'utf8')).toBe('#!/bin/sh\necho run\n')
    expect(statSync(join(dest, 'run.sh')).mode & 0o777).toBe(0o755)
    expect(readFileSync(join(dest, 'conf', 'app.properties'), 'utf8')).toBe('a=1\n')
    expect(readFileSync(join(dest, 'conf', 'sub', 'deep.txt'), 'utf8')).toBe('deep\n')
  })

  it('--agent picks agents; all uploaded is exit 0 and nothing on stderr', async () => {
    const dest = join(root, 'dest-one')
    mkdirSync(dest)
    const r = await run(['scp', '--agent', 'agent-0', join(src, 'run.sh'), `${dest}/`])
    expect(r).toMatchObject({ code: 0, stdout: `agent-0.sim:${dest}/run.sh\tuploaded\n`, stderr: '' })
    expect(readFileSync(join(dest, 'run.sh'), 'utf8')).toBe('#!/bin/sh\necho run\n')
  })

  it('-t, one of the SSH FLAGS, is accepted and changes nothing for an upload', async () => {
    const dest = join(root, 'dest-t-flag')
    mkdirSync(dest)
    const r = await run(['scp', '-t', '--agent', 'agent-0', join(src, 'run.sh'), `${dest}/`])
    expect(r).toMatchObject({ code: 0, stdout: `agent-0.sim:${dest}/run.sh\tuploaded\n`, stderr: '' })
  })

  it('a missing identity file is reported once, not once per agent', async () => {
    const dest = join(root, 'dest-keys')
    mkdirSync(dest)
    const missing = join(root, 'no_such_key')
    const r = await run(['scp', '--identity-file', missing, '--identity-file', join(home, '.ssh', 'id_ed25519'), join(src, 'run.sh'), dest])
    expect(r.stdout.split('\n').filter((l) => l.endsWith('\tuploaded'))).toEqual([`agent-0.sim:${dest}/run.sh\tuploaded`])
    expect(r.stderr).toBe(`mesos: warning: identity file ${missing} not accessible: ENOENT\nmesos: 2 of 3 uploads failed\n`)
  })

  it('a REMOTE_PATH that does not exist fails each file', async () => {
    const missing = join(root, 'no-such-dir')
    const r = await run(['scp', '--agent', 'agent-0', join(src, 'run.sh'), missing])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe(`agent-0.sim:${missing}/run.sh\tfailed: no such file or directory: ${missing}\n`)
  })

  it('an unknown agent filter is exit 3; a missing local file is exit 2 before any connection', async () => {
    const none = await run(['scp', '--agent', 'nowhere', join(src, 'run.sh'), '/tmp'])
    expect(none.code).toBe(3)
    expect(none.stderr).toBe('mesos: no agent matches "nowhere"\nhint: 3 agent(s) known\n')
    const missing = await run(['scp', join(src, 'nope.txt'), '/tmp'])
    expect(missing).toMatchObject({ code: 2, stdout: '', stderr: `mesos: cannot read ${join(src, 'nope.txt')}: no such file or directory\n` })
    expect((await run(['scp', '/tmp'])).code).toBe(2)
  })

  it('on a terminal: a progress bar on stderr while it works, gone at the end, then the lines', async () => {
    const dest = join(root, 'dest-tty')
    mkdirSync(dest)
    const big = join(root, 'big.bin')
    writeFileSync(big, randomBytes(8 << 20))
    const tmux = new Tmux(root)
    try {
      const gate = join(root, 'go')
      tmux.start('scp', ['scp', big, dest], cleanEnv(home, { MESOS_MASTER: sim.masterSpec, TERM: 'xterm' }), gate)
      // everything the terminal receives, escape sequences included
      const raw = join(root, 'scp.raw')
      tmux.run('pipe-pane', '-t', 'scp', `cat > ${raw}`)
      writeFileSync(gate, '')
      const end = await tmux.waitFor('scp', (t) => t.includes('TERMINAL:'), 'the end of scp', 20_000)
      expect(end).toMatch(
        new RegExp(
          `^agent-0\\.sim:${dest}/big\\.bin\\s+uploaded\nagent-1\\.sim:${dest}/big\\.bin\\s+failed: permission denied\nagent-2\\.sim:${dest}/big\\.bin\\s+failed: permission denied for root@agent-2\\.sim .*\nmesos: 2 of 3 uploads failed\nEXITED:1\nTERMINAL:restored\n`,
        ),
      )
      expect(readFileSync(raw, 'latin1')).toMatch(/uploading \[=*\s*\] \d+% \| \d\/3 agents \| [\d.]+ MB\/25\.2 MB/)
      expect(end).not.toContain('uploading [')
      expect(readFileSync(join(dest, 'big.bin')).length).toBe(8 << 20)
    } finally {
      tmux.stop()
    }
  })
})
