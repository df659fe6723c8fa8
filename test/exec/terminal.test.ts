/**
 * exec -t, attach and the describe pager on a real terminal: the built CLI inside tmux (send-keys
 * in, capture-pane out) against the flink scenario, whose TTY tasks run under real ptys. The remote
 * side runs on this machine, so it can look at our terminal's modes while mesos runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { cleanEnv, runCli, until } from '../helpers/cli.js'
import { Tmux } from '../ssh/tmux.js'
import { membersOfGroup, processesOnTerminal } from './helpers.js'

let root: string
let sim: Simulator
let tmux: Tmux
let console_: string

const env = (extra: NodeJS.ProcessEnv = {}) => cleanEnv(root, { MESOS_MASTER: sim.masterSpec, TERM: 'xterm', ...extra })
const start = (session: string, args: string[], extra: NodeJS.ProcessEnv = {}) => tmux.start(session, args, env(extra))
const ended = (session: string) => tmux.waitFor(session, (t) => t.includes('TERMINAL:'), `the end of ${session}`, 20_000)

/** Presses Enter until the screen shows `text` (a resize reaches the remote pty asynchronously). */
async function enterUntil(session: string, text: string): Promise<void> {
  const deadline = Date.now() + 15_000
  for (;;) {
    tmux.keys(session, 'Enter')
    try {
      await tmux.waitFor(session, (t) => t.includes(text), text, 500)
      return
    } catch (err) {
      if (Date.now() > deadline) throw err
    }
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesos-exec-tty-'))
  tmux = new Tmux(root)
  sim = await startSimulator({ scenario: 'flink', logIntervalMs: 0, liveEvents: false, eagerSandboxes: true })
  console_ = sim.activeTasks().find((t) => t.name === 'flink-sql-client')!.id
}, 60_000)

afterAll(async () => {
  tmux?.stop()
  await sim?.stop()
  rmSync(root, { recursive: true, force: true })
})

describe('exec -it', () => {
  it('gives the command a terminal of our size, follows a resize, keeps ours raw meanwhile, restores it', async () => {
    const script = [
      'tty',
      'echo "SIZE:$(stty size)"',
      tmux.modesCheck('it', 'LOCAL'),
      'while read x; do echo "SIZE:$(stty size)"; [ "$x" = q ] && exit 6; done',
    ].join('; ')
    start('it', ['exec', '-it', 'taskmanager-00001', 'sh', '-c', script])
    const first = await tmux.waitFor('it', (t) => /LOCAL:(raw|cooked)/.test(t), 'the first size and our modes')
    expect(first).toMatch(/^\/dev\/pts\/\d+$/m)
    expect(first).toContain('SIZE:30 100')
    expect(first).toContain('LOCAL:raw')
    tmux.run('resize-window', '-t', 'it', '-x', '120', '-y', '40')
    await enterUntil('it', 'SIZE:40 120')
    tmux.keys('it', 'q', 'Enter')
    const end = await ended('it')
    expect(end).toContain('EXITED:6')
    expect(end).toContain('TERMINAL:restored')
  })

  it('Ctrl-C goes to the remote side as a keystroke', async () => {
    start('intr', ['exec', '-it', 'taskmanager-00001', 'sh', '-c', 'trap "echo GOT-INT; exit 4" INT; echo READY; while :; do sleep 1; done'])
    await tmux.waitFor('intr', (t) => t.includes('READY'), 'the command to start')
    tmux.keys('intr', 'C-c')
    const end = await ended('intr')
    expect(end).toContain('GOT-INT')
    expect(end).toContain('EXITED:4')
    expect(end).toContain('TERMINAL:restored')
  })
})

describe('exec -it ended from outside', () => {
  it('SIGTERM while our terminal is raw: exit 143, the terminal restored, the remote command gone', async () => {
    start('term', ['exec', '-it', 'taskmanager-00001', 'sh', '-c', 'echo "PGID:$$"; sleep 300'])
    const screen = await tmux.waitFor('term', (t) => /PGID:\d+/.test(t), 'the command to start')
    const pgid = Number(/PGID:(\d+)/.exec(screen)![1])
    const mesos = processesOnTerminal(readFileSync(join(root, 'term.tty'), 'utf8').trim(), 'node')
    expect(mesos).toHaveLength(1)
    process.kill(mesos[0]!, 'SIGTERM')
    const end = await ended('term')
    expect(end).toContain('EXITED:143')
    expect(end).toContain('TERMINAL:restored')
    expect(await until(() => membersOfGroup(pgid).length === 0)).toBe(true)
  })
})

describe('describe on a terminal', () => {
  it('goes through MESOS_PAGER, and not with --no-pager', async () => {
    start('paged', ['describe', '-i', 'taskmanager-00003'], { MESOS_PAGER: 'sed "s/^/PAGED:/"' })
    const paged = await ended('paged')
    expect(paged).toContain('PAGED:Last failure: FAILED at ')
    expect(paged).toContain('EXITED:0')
    start('plain', ['describe', '-i', 'taskmanager-00003', '--no-pager'], { MESOS_PAGER: 'sed "s/^/PAGED:/"' })
    const plain = await ended('plain')
    expect(plain).toContain('\nLast failure: FAILED at ')
    expect(plain).not.toContain('PAGED:')
  })
})

describe('attach', () => {
  it('a task without a TTY: the one-line error, exit 1', async () => {
    const r = await runCli(['attach', 'taskmanager-00001'], { env: env() })
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', 'mesos: taskmanager-00001 was launched without a TTY; use mesos tail -f or mesos exec\n'])
  })

  it('shows the console, sends what we type, detaches with Ctrl-P Ctrl-Q leaving the task running', async () => {
    start('attach', ['attach', console_.slice(0, 20)])
    await tmux.waitFor('attach', (t) => t.includes('Ctrl-P Ctrl-Q detaches'), 'the attach note')
    // a trailing ; would end the tmux command: escape it
    tmux.keys('attach', 'SELECT 42\\;', 'Enter')
    const screen = await tmux.waitFor('attach', (t) => /\[INFO\] Executed: SELECT 42;\s*\n\s*Flink SQL> /.test(t), 'the statement and the next prompt')
    // the terminal echoed our keys once: raw mode here, echo there
    expect(screen.match(/SELECT 42;/g)?.length).toBe(2)
    // the agent takes one input connection at a time: a second attach is told so
    const second = await runCli(['attach', console_], { env: env() })
    expect([second.code, second.stderr]).toEqual([
      1,
      `mesos: task ${console_} on agent 127.0.0.1: another client is already sending input to this container (409); only one may at a time\n`,
    ])
    tmux.keys('attach', 'C-p', 'C-q')
    const end = await ended('attach')
    expect(end).toContain('EXITED:0')
    expect(end).toContain('TERMINAL:restored')
    expect(sim.task(console_).state).toBe('TASK_RUNNING')
  })

  it('ends with the task: QUIT; ends the console, attach exits 0', async () => {
    start('quit', ['attach', console_])
    await tmux.waitFor('quit', (t) => t.includes('Ctrl-P Ctrl-Q detaches'), 'the attach note')
    tmux.keys('quit', 'QUIT\\;', 'Enter')
    const end = await ended('quit')
    expect(end).toContain('done.')
    expect(end).toContain('EXITED:0')
    expect(end).toContain('TERMINAL:restored')
  })
})
