/**
 * `tail --prefix` and `--grep`, in-process on the injected clock: lines appended to several tasks
 * (some written in pieces across polls) come out each once, whole, after their own source's prefix,
 * in each source's order; a line left unfinished is flushed with a marker; the prefix is inert.
 */
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderPrefixed } from '../../src/cli/render/prefix.js'
import { createIO } from '../../src/core/output/io.js'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { runCommand, TestClock, until } from '../helpers/run-command.js'

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({
    scenario: {
      name: 'prefix',
      agents: 2,
      frameworks: [
        {
          name: 'flink',
          tasks: [
            { id: 'tm-1', agent: 0 },
            { id: 'tm-2', agent: 1 },
            { id: 'tm-3', agent: 0 },
            { id: 'evil\x1b[31m', agent: 1 },
          ],
        },
      ],
    },
    logIntervalMs: 0,
    liveEvents: false,
    eagerSandboxes: true,
    rateLimit: false,
  })
}, 60_000)
afterAll(async () => {
  await sim?.stop()
})

async function round(clock: TestClock): Promise<void> {
  await until(() => clock.sleeping > 0, 15_000, 'the follow loop to wait')
  clock.advance(1000)
}

const master = () => sim.leader!.address

describe('tail -f --prefix', () => {
  it('every line once, whole, in per-source order, under concurrent appends in pieces', async () => {
    const clock = new TestClock()
    const run = await runCommand(['tail', '-f', '--prefix', '-n', '0', 'tm-', 'stdout', 'stderr', '--master', master()], { clock })
    const tasks = ['tm-1', 'tm-2', 'tm-3']
    const expected = new Map<string, string[]>()
    let n = 0
    // the start (sizes of what exists now) is done once the loop first sleeps
    await until(() => clock.sleeping > 0, 15_000, 'the follow loop to start')
    for (let r = 0; r < 12; r++) {
      // a writer per task appends whole lines and halves of lines, independently of the polls
      await Promise.all(
        tasks.map(async (t, i) => {
          const file = (r + i) % 3 === 0 ? 'stderr' : 'stdout'
          const key = `${t} ${file}`
          const lines = Array.from({ length: 1 + ((r * 7 + i) % 4) }, () => `line ${n++} of ${t} ${'x'.repeat((n * 37) % 200)}`)
          expected.set(key, [...(expected.get(key) ?? []), ...lines])
          const text = lines.map((l) => `${l}\n`).join('')
          const cut = Math.floor(text.length / 2)
          sim.appendFile(t, file, text.slice(0, cut))
          await new Promise((res) => setImmediate(res))
          sim.appendFile(t, file, text.slice(cut))
        }),
      )
      await round(clock)
    }
    const total = [...expected.values()].reduce((a, l) => a + l.length, 0)
    await round(clock)
    await until(() => run.stdout().split('\n').length > total, 20_000, 'every line')
    run.abort()
    await run.done
    const seen = new Map<string, string[]>()
    for (const line of run.stdout().split('\n').slice(0, -1)) {
      const m = /^(tm-\d (?:stdout|stderr)) \| (line \d+ of tm-\d x*)$/.exec(line)
      expect(m, `a whole, prefixed line: ${JSON.stringify(line)}`).not.toBeNull()
      seen.set(m![1]!, [...(seen.get(m![1]!) ?? []), m![2]!])
    }
    expect(seen).toEqual(expected)
  }, 60_000)

  it('a line left unfinished is flushed with a marker after two quiet polls; its rest follows after another', async () => {
    const clock = new TestClock()
    const run = await runCommand(['tail', '-f', '--prefix', '-n', '0', 'tm-2', '--master', master()], { clock })
    await round(clock)
    sim.appendFile('tm-2', 'stdout', 'Password: ')
    for (let i = 0; i < 3; i++) await round(clock)
    await until(() => run.stdout().includes('…\n'), 15_000, 'the flushed piece')
    sim.appendFile('tm-2', 'stdout', 'hunter2\nnext\n')
    await round(clock)
    await until(() => run.stdout().includes('next\n'), 15_000, 'the rest')
    run.abort()
    await run.done
    expect(run.stdout()).toBe('tm-2 stdout | Password: …\ntm-2 stdout | …hunter2\ntm-2 stdout | next\n')
  }, 30_000)

  it('--grep keeps matching lines (with and without --prefix, with and without -f); prefixes are inert', async () => {
    sim.appendFile('tm-3', 'stdout', 'INFO a\nERROR b\nINFO c\n')
    sim.appendFile('evil\x1b[31m', 'stdout', 'ERROR from evil\n')
    const plain = await runCommand(['tail', '--grep', 'ERROR|WARN', 'tm-3', '--master', master()])
    expect(await plain.done).toBe(0)
    expect(plain.stdout()).toMatch(/^ERROR b\n$/m)
    expect(plain.stdout()).not.toContain('INFO')
    const prefixed = await runCommand(['tail', '--prefix', '--grep', '^ERROR', 'tm-3|evil', '--master', master()])
    await prefixed.done
    const tasks = await runCommand(['tail', '--prefix', '--grep', '^ERROR', '*', '--master', master()])
    expect(await tasks.done).toBe(0)
    expect(tasks.stdout()).toContain('evil\\x1b[31m stdout | ERROR from evil\n')
    expect(tasks.stdout()).toContain('tm-3 stdout | ERROR b\n')
    expect(tasks.stdout()).not.toContain('\x1b')

    const clock = new TestClock()
    const follow = await runCommand(['tail', '-f', '-n', '0', '--grep', 'ERROR', 'tm-1', '--master', master()], { clock })
    await round(clock)
    sim.appendFile('tm-1', 'stdout', 'INFO quiet\nERROR loud\n')
    await round(clock)
    await until(() => follow.stdout().includes('ERROR loud'), 15_000, 'the matching line')
    follow.abort()
    await follow.done
    expect(follow.stdout()).toBe('ERROR loud\n')
  }, 30_000)

  it('colours each source on a terminal', async () => {
    const out = Object.assign(new PassThrough(), { isTTY: true, columns: 80 })
    const chunks: Buffer[] = []
    out.on('data', (c: Buffer) => chunks.push(c))
    const io = await createIO({ stdout: out, stderr: new PassThrough(), env: { FORCE_COLOR: '1' } })
    async function* stream() {
      yield { source: 'tm-1:stdout', bytes: Buffer.from('one\n') }
      yield { source: 'tm-2:stdout', bytes: Buffer.from('two\n') }
      yield { source: 'tm-1:stdout', bytes: Buffer.from('three\n') }
    }
    await renderPrefixed(io, stream(), { files: ['stdout'], color: io.outStyle.cyan('x') !== 'x', follow: false })
    expect(Buffer.concat(chunks).toString()).toBe(
      '\x1b[36mtm-1 stdout | \x1b[39mone\n\x1b[32mtm-2 stdout | \x1b[39mtwo\n\x1b[36mtm-1 stdout | \x1b[39mthree\n',
    )
  })
})
