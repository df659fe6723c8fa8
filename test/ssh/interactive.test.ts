/**
 * `mesos ssh` on a real terminal: the built CLI runs inside tmux, which we drive with send-keys and
 * read with capture-pane. Covers the pty shell in the sandbox, window size and its changes, the
 * terminal restored on exit, and the questions asked on a terminal (passphrase, unknown host key).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { shellJoin } from '../../src/core/ssh/quote.js'
import { BIN, cleanEnv } from '../helpers/cli.js'
import { type KeyPair, makeKey, type Sshd, startSshd } from '../helpers/sshd.js'

let root: string
let home: string
let key: KeyPair
let sshd: Sshd
let sim: Simulator
const socket = `mesos-ssh-test-${process.pid}`

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' })
const screen = (session: string) => tmux('capture-pane', '-p', '-J', '-t', session)

async function waitFor(session: string, test: (text: string) => boolean, what: string, ms = 10_000): Promise<string> {
  const until = Date.now() + ms
  for (;;) {
    const text = screen(session)
    if (test(text)) return text
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; the screen shows:\n${text}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Starts `mesos ARGS` in a new tmux session, then reports its exit status and whether the terminal came back as it was. */
function start(session: string, args: string[], h = home): void {
  const env = cleanEnv(h, { MESOS_MASTER: sim.masterSpec, TERM: 'xterm' })
  const script = join(root, `${session}.sh`)
  writeFileSync(
    script,
    [
      `export ${Object.entries(env).map(([k, v]) => `${k}=${shellJoin([v ?? ''])}`).join(' ')}`,
      'before=$(stty -g)',
      `tty > ${shellJoin([join(root, `${session}.tty`)])}; stty -g > ${shellJoin([join(root, `${session}.modes`)])}`,
      `${shellJoin([process.execPath, BIN, ...args])}`,
      'echo "EXITED:$?"',
      '[ "$(stty -g)" = "$before" ] && echo "TERMINAL:restored" || echo "TERMINAL:changed"',
      'sleep 600',
      '',
    ].join('\n'),
  )
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `sh ${script}`)
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesos-ssh-tty-'))
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
  try {
    tmux('kill-server')
  } catch {
    // no session left
  }
  await Promise.all([sim?.stop(), sshd?.stop()])
  rmSync(root, { recursive: true, force: true })
})

describe('an interactive session through tmux', () => {
  it('opens a pty shell in the sandbox, follows window size changes, passes the exit status, leaves the terminal as it was', async () => {
    const sandbox = sim.sandboxPath('web.1')
    start('shell', ['ssh', 'web.1'])
    tmux('send-keys', '-t', 'shell', 'echo "PWD:$(pwd)"', 'Enter')
    await waitFor('shell', (t) => t.includes(`PWD:${sandbox}\n`), 'pwd in the sandbox')
    tmux('send-keys', '-t', 'shell', 'echo "SIZE:$(stty size)"', 'Enter')
    await waitFor('shell', (t) => t.includes('SIZE:30 100'), 'the window size')
    tmux('resize-window', '-t', 'shell', '-x', '120', '-y', '40')
    tmux('send-keys', '-t', 'shell', 'echo "SIZE:$(stty size)"', 'Enter')
    await waitFor('shell', (t) => t.includes('SIZE:40 120'), 'the new window size')
    // the remote side is this machine: it can look at our terminal, which must be in raw mode now
    const local = `"$(stty -g < "$(cat '${join(root, 'shell.tty')}')")"`
    tmux('send-keys', '-t', 'shell', `[ ${local} = "$(cat '${join(root, 'shell.modes')}')" ] && echo LOCAL:cooked || echo LOCAL:raw`, 'Enter')
    await waitFor('shell', (t) => /LOCAL:(raw|cooked)\n/.test(t), 'the local terminal mode')
    expect(screen('shell')).toContain('LOCAL:raw\n')
    tmux('send-keys', '-t', 'shell', 'exit 5', 'Enter')
    const end = await waitFor('shell', (t) => t.includes('TERMINAL:'), 'the end of the session')
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
    const [tty, modes] = [join(root, 'passphrase.tty'), join(root, 'passphrase.modes')]
    const check = `[ "$(stty -g < "$(cat '${tty}')")" = "$(cat '${modes}')" ] && echo MIDRUN:cooked || echo MIDRUN:raw`
    start('passphrase', ['ssh', 'web.1', '--', 'sh', '-c', `echo unlocked; ${check}`], h)
    await waitFor('passphrase', (t) => t.includes("Enter passphrase for key '~/.ssh/id_ed25519': "), 'the passphrase prompt')
    tmux('send-keys', '-t', 'passphrase', 'wrong', 'Enter')
    await waitFor('passphrase', (t) => t.includes('Bad passphrase, try again.'), 'a second chance')
    tmux('send-keys', '-t', 'passphrase', 'sesame seed', 'Enter')
    const end = await waitFor('passphrase', (t) => t.includes('TERMINAL:'), 'the end')
    expect(end).toContain('unlocked')
    // the prompt's raw mode was undone before the command ran
    expect(end).toContain('MIDRUN:cooked')
    expect(end).toContain('EXITED:0')
    expect(end).toContain('TERMINAL:restored')
    expect(end).not.toContain('sesame')
    expect(end).not.toContain('wrong')
  })

  it('asks about an unknown host key ("ask"), and records it on yes', async () => {
    const h = join(root, 'ask-home')
    mkdirSync(join(h, '.ssh'), { recursive: true })
    writeFileSync(join(h, '.ssh', 'config'), `Host 127.0.0.1\n  Port ${sshd.port}\n  User root\n  IdentityFile ${key.path}\n`)
    start('ask', ['ssh', 'web.1', '--', 'echo', 'welcome'], h)
    await waitFor('ask', (t) => t.includes('Are you sure you want to continue connecting (yes/no/[fingerprint])?'), 'the question')
    expect(screen('ask')).toMatch(/ED25519 key fingerprint is SHA256:/)
    tmux('send-keys', '-t', 'ask', 'yes', 'Enter')
    const end = await waitFor('ask', (t) => t.includes('TERMINAL:'), 'the end')
    expect(end).toContain('welcome')
    expect(end).toContain('EXITED:0')
    expect(readFileSync(join(h, '.ssh', 'known_hosts'), 'utf8')).toBe(`[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`)
  })
})
