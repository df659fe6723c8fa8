/**
 * `mesos ssh` on a real terminal: the built CLI runs inside tmux, which we drive with send-keys and
 * read with capture-pane. Covers the pty shell in the sandbox, window size and its changes, the
 * terminal restored on exit, and the questions asked on a terminal (passphrase, unknown host key).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { cleanEnv } from '../helpers/cli.js'
import { type KeyPair, makeKey, type Sshd, startSshd } from '../helpers/sshd.js'
import { Tmux } from './tmux.js'

let root: string
let home: string
let key: KeyPair
let sshd: Sshd
let sim: Simulator
let tmux: Tmux

const start = (session: string, args: string[], h = home) =>
  tmux.start(session, args, cleanEnv(h, { MESOS_MASTER: sim.masterSpec, TERM: 'xterm' }))

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesos-ssh-tty-'))
  tmux = new Tmux(root)
  home = join(root, 'home')
  mkdirSync(join(home, '.ssh'), { recursive: true })
  key = makeKey(join(home, '.ssh', 'id_ed25519'))
  sshd = await startSshd({ authorized: [key.publicLine] })
  writeFileSync(join(home, '.ssh', 'config'), `Host 127.0.0.1\n  Port ${sshd.port}\n  User root\n`)
  writeFileSync(join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`)
  sim = await startSimulator({
    scenario: { name: 'ssh-tty', agents: 1, frameworks: [{ name: 'web', tasks: [{ id: 'web.1', agent: 0 }] }] },
    logIntervalMs: 0,
    liveEvents: false,
    eagerSandboxes: true,
  })
}, 60_000)

afterAll(async () => {
  tmux?.stop()
  await Promise.all([sim?.stop(), sshd?.stop()])
  rmSync(root, { recursive: true, force: true })
})

describe('an interactive session through tmux', () => {
  it('opens a pty shell in the sandbox, follows window size changes, passes the exit status, leaves the terminal as it was', async () => {
    const sandbox = sim.sandboxPath('web.1')
    start('shell', ['ssh', 'web.1'])
    await tmux.typeUntil('shell', 'echo "PWD:$(pwd)"', (t) => t.includes(`PWD:${sandbox}\n`), 'pwd in the sandbox')
    tmux.keys('shell', 'echo "SIZE:$(stty size)"', 'Enter')
    await tmux.waitFor('shell', (t) => t.includes('SIZE:30 100'), 'the window size')
    tmux.run('resize-window', '-t', 'shell', '-x', '120', '-y', '40')
    tmux.keys('shell', 'echo "SIZE:$(stty size)"', 'Enter')
    await tmux.waitFor('shell', (t) => t.includes('SIZE:40 120'), 'the new window size')
    // the remote side is this machine: it can look at our terminal, which must be in raw mode now
    tmux.keys('shell', tmux.modesCheck('shell', 'LOCAL'), 'Enter')
    await tmux.waitFor('shell', (t) => /LOCAL:(raw|cooked)\n/.test(t), 'the local terminal mode')
    expect(tmux.screen('shell')).toContain('LOCAL:raw\n')
    tmux.keys('shell', 'exit 5', 'Enter')
    const end = await tmux.waitFor('shell', (t) => t.includes('TERMINAL:'), 'the end of the session')
    expect(end).toContain('EXITED:5')
    expect(end).toContain('TERMINAL:restored')
  })

  it('asks for the passphrase of an encrypted key, without echoing it', async () => {
    const h = join(root, 'enc-home')
    mkdirSync(join(h, '.ssh'), { recursive: true })
    const enc = makeKey(join(h, '.ssh', 'id_ed25519'), 'sesame seed')
    sshd.authorize([key.publicLine, enc.publicLine])
    writeFileSync(join(h, '.ssh', 'config'), readFileSync(join(home, '.ssh', 'config')))
    writeFileSync(join(h, '.ssh', 'known_hosts'), readFileSync(join(home, '.ssh', 'known_hosts')))
    // the remote side is this machine: it can look at our terminal while mesos still runs
    start('passphrase', ['ssh', 'web.1', '--', 'sh', '-c', `echo unlocked; ${tmux.modesCheck('passphrase', 'MIDRUN')}`], h)
    await tmux.waitFor('passphrase', (t) => t.includes("Enter passphrase for key '~/.ssh/id_ed25519': "), 'the passphrase prompt')
    tmux.keys('passphrase', 'wrong', 'Enter')
    await tmux.waitFor('passphrase', (t) => t.includes('Bad passphrase, try again.'), 'a second chance')
    tmux.keys('passphrase', 'sesame seed', 'Enter')
    const end = await tmux.waitFor('passphrase', (t) => t.includes('TERMINAL:'), 'the end')
    expect(end).toContain('unlocked')
    // the prompt's raw mode was undone before the command ran
    expect(end).toContain('MIDRUN:cooked')
    expect(end).toContain('EXITED:0')
    expect(end).toContain('TERMINAL:restored')
    expect(end).not.toContain('sesame')
    expect(end).not.toContain('wrong')
  })

  it('asks about an unknown host key ("ask"), as long as the user needs, and records it on yes', async () => {
    const h = join(root, 'ask-home')
    mkdirSync(join(h, '.ssh'), { recursive: true })
    writeFileSync(
      join(h, '.ssh', 'config'),
      `Host 127.0.0.1\n  Port ${sshd.port}\n  User root\n  IdentityFile ${key.path}\n  ConnectTimeout 1\n`,
    )
    start('ask', ['ssh', 'web.1', '--', 'echo', 'welcome'], h)
    await tmux.waitFor('ask', (t) => t.includes('Are you sure you want to continue connecting (yes/no/[fingerprint])?'), 'the question')
    expect(tmux.screen('ask')).toMatch(/ED25519 key fingerprint is SHA256:/)
    // reading the fingerprint takes longer than ConnectTimeout: the question stops the clock
    await new Promise((r) => setTimeout(r, 1500))
    tmux.keys('ask', 'yes', 'Enter')
    const end = await tmux.waitFor('ask', (t) => t.includes('TERMINAL:'), 'the end')
    expect(end).toContain('welcome')
    expect(end).toContain('EXITED:0')
    expect(readFileSync(join(h, '.ssh', 'known_hosts'), 'utf8')).toBe(`[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`)
  })
})
