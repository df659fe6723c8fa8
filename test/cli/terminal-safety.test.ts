/**
 * Spec 1.1 terminal safety: hostile cluster text (ESC sequences, BEL, C1, U+202E, newlines) in task
 * IDs, names, framework names, file names and status messages reaches no terminal raw, through any
 * human view or error; --json carries it exactly, escaped by JSON's rules.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { runCommand, TestClock, until } from '../helpers/run-command.js'

const ESC_ID = 'evil-\x1b[2J\x1b]0;pwned\x07-task'
const BIDI_ID = 'evil-bidi-\u202eexe.txt'
const NL_ID = 'evil-nl\n2026-11-30T12:00:00Z TASK_UPDATED forged TASK_KILLED'
const C1_NAME = 'fw-\x9b31m-name'
const HOSTILE_FILE = 'log-\x1b[31mred\u202e.txt'

/** No raw control character (but newline and tab), no bidi control, in what a terminal would show. */
function expectInert(text: string): void {
  // biome-ignore lint: the characters under test
  expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/)
}

let sim: Simulator
const master = () => sim.leader!.address

beforeAll(async () => {
  sim = await startSimulator({
    scenario: {
      name: 'hostile',
      agents: 2,
      frameworks: [
        {
          name: C1_NAME,
          tasks: [
            { id: ESC_ID, name: 'name-\x07bell', agent: 0, command: 'sleep \x1b[1m1000' },
            { id: BIDI_ID, agent: 1 },
            { id: NL_ID, agent: 0 },
          ],
        },
      ],
    },
    logIntervalMs: 0,
    rateLimit: false,
  })
  writeFileSync(join(sim.sandboxPath(ESC_ID), HOSTILE_FILE), 'line\n')
})
afterAll(async () => {
  await sim?.stop()
})

describe('hostile cluster text is inert in every human view', () => {
  it.each([
    [['ps']],
    [['frameworks']],
    [['agents']],
    [['ls', 'evil']],
    [['find', 'evil']],
    [['cat', 'evil', 'nosuchfile']],
    [['ssh', 'evil']],
    [['ls', 'evil-\x1b[2Jnomatch']],
  ])('%j', async (argv) => {
    const run = await runCommand([...argv, '--master', master()])
    await run.done
    expectInert(run.stdout())
    expectInert(run.stderr())
    // a newline in a task ID never starts a line of its own
    expect(`${run.stdout()}${run.stderr()}`).not.toMatch(/^2026-11-30T12:00:00Z TASK_UPDATED forged/m)
  })

  it.each([[['head', '-n', '1', 'evil']], [['tail', '-n', '1', 'evil']], [['tail', '-f', '-n', '1', 'evil']]])(
    '%j: headers are inert, file contents exact',
    async (argv) => {
      const clock = new TestClock()
      const run = await runCommand([...argv, '--master', master()], { clock })
      await until(() => (run.stdout().match(/^==> /gm) ?? []).length >= 3, 15_000, 'three headers')
      run.abort()
      await run.done
      const headers = run.stdout().split('\n').filter((l) => l.startsWith('==> '))
      expect(headers).toHaveLength(3)
      for (const h of headers) expectInert(h)
      expect(headers).toContain('==> evil-\\x1b[2J\\x1b]0;pwned\\x07-task:stdout <==')
      // the sandbox's own bytes are the user's: copied exactly
      expect(run.stdout()).toContain(`Starting task ${NL_ID}`.split('\n')[1])
    },
  )

  it('shows the escaped forms so the operator can still tell the IDs apart', async () => {
    const run = await runCommand(['ps', '--master', master()])
    expect(await run.done).toBe(0)
    expect(run.stdout()).toContain('evil-\\x1b[2J\\x1b]0;pwned\\x07-task')
    expect(run.stdout()).toContain('evil-bidi-\\u202eexe.txt')
    expect(run.stdout()).toContain('evil-nl\\n2026-11-30T12:00:00Z')
  })

  it('--json round-trips the exact text', async () => {
    const run = await runCommand(['ps', '--json', '--master', master()])
    expect(await run.done).toBe(0)
    const ids = (JSON.parse(run.stdout()) as { id: string }[]).map((r) => r.id).sort()
    expect(ids).toEqual([BIDI_ID, ESC_ID, NL_ID].sort())
    const ls = await runCommand(['ls', '--json', ESC_ID, '--master', master()])
    expect(await ls.done).toBe(0)
    expect((JSON.parse(ls.stdout()) as { path: string }[]).map((e) => e.path)).toContain(HOSTILE_FILE)
  })

  it('events: a newline in a task ID cannot forge an event line', async () => {
    const clock = new TestClock()
    const run = await runCommand(['events', '--master', master()], { clock })
    await until(() => sim.masterServers.some((m) => m.api.subscribers.size > 0), 15_000, 'the subscription')
    sim.killTask(NL_ID)
    sim.killTask(ESC_ID)
    await until(() => (run.stdout().match(/TASK_KILLED/g) ?? []).length >= 2, 15_000, 'the kill events')
    run.abort()
    await run.done
    expectInert(run.stdout())
    expectInert(run.stderr())
    for (const line of run.stdout().trimEnd().split('\n')) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\S+Z [A-Z_]+ /)
  })

  it('tail -f: a note naming a task (its file shrank) cannot be split into a forged line', async () => {
    const clock = new TestClock()
    const id = 'shrinks-nl\n2026-11-30T12:00:00Z TASK_UPDATED forged TASK_KILLED'
    sim.launchTask({ id, unchecked: true })
    await until(() => sim.activeTasks().some((t) => t.id === id && t.state === 'TASK_RUNNING'), 15_000, 'the task running')
    const file = join(sim.sandboxPath(id), 'notes.log')
    writeFileSync(file, 'one\ntwo\nthree\n')
    const run = await runCommand(['tail', '-f', '-n', '0', '-s', '1', 'shrinks-nl', 'notes.log', '--master', master()], { clock })
    await until(() => clock.sleeping > 0, 15_000, 'the first round')
    writeFileSync(file, 'x\n')
    clock.advance(1000)
    await until(() => run.stderr().includes('shrank'), 15_000, 'the shrink note')
    run.abort()
    await run.done
    expectInert(run.stderr())
    expect(run.stderr()).toContain('shrinks-nl\\n2026-11-30T12:00:00Z TASK_UPDATED forged TASK_KILLED:notes.log shrank')
    expect(run.stderr()).not.toMatch(/^2026-11-30T12:00:00Z TASK_UPDATED forged/m)
  })
})
