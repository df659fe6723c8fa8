/**
 * The render seam's listings made row by row: a JSON listing is written in batches as the rows are
 * made (never one string of the whole array), with exactly the bytes of the whole array formatted
 * at once; a table from a generator is the table of the same rows as an array.
 */
import { Writable } from 'node:stream'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createIO } from '../../src/core/output/io.js'
import { createRender, formatJson } from '../../src/cli/render/render.js'
import { captureIO } from '../helpers/io.js'

const spec = {
  columns: [{ header: 'ID', id: true }, { header: 'N', align: 'right' as const }],
  cells: (r: { id: string; n: number }) => [r.id, String(r.n)],
}
const opts = { json: true, noHeaders: false, empty: 'nothing' }

async function listed(rows: Iterable<unknown>, o = opts, problem?: Error) {
  const c = await captureIO()
  const error = await createRender(c.io)
    .listing({ columns: [], cells: () => [] }, { rows, ...(problem ? { problem } : {}) }, o)
    .then(() => undefined, (e: Error) => e)
  return { out: c.stdout(), err: c.stderr(), error }
}

describe('a listing made row by row', () => {
  it('JSON: the bytes of formatJson of the whole array, whatever the rows', async () => {
    const row = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.record({ a: fc.option(fc.string()), b: fc.constant(undefined), c: fc.double() }))
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 30 }), async (rows) => {
        const got = await listed(rows)
        expect(got.out).toBe(formatJson(rows))
        expect(got.err).toBe(rows.length === 0 ? 'mesos: nothing\n' : '')
      }),
      { numRuns: 300 },
    )
  })

  it('JSON: several batches of a generator join into one array, in order, each written as it is made', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ id: `task-${String(i).padStart(5, '0')}`, cmd: 'x'.repeat(i % 70), n: i / 7 }))
    const writes: string[] = []
    let made = 0
    let madeAtFirstWrite = -1
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        if (madeAtFirstWrite < 0) madeAtFirstWrite = made
        writes.push(chunk.toString())
        done()
      },
    })
    const io = await createIO({ stdout: sink, stderr: new Writable({ write: (_c, _e, d) => d() }), env: { NO_COLOR: '1' } })
    function* gen() {
      for (const r of rows) {
        made++
        yield r
      }
    }
    await createRender(io).listing(spec, { rows: gen() }, opts)
    expect(writes.join('')).toBe(formatJson(rows))
    expect(writes.length).toBeGreaterThan(3)
    expect(madeAtFirstWrite).toBeLessThan(rows.length / 2)
  })

  it('a partial answer: every row, then the problem (exit 1), for JSON and for a table', async () => {
    const rows = [{ id: 'a', n: 1 }, { id: 'b', n: 2 }]
    const problem = new Error('statistics missing')
    const json = await listed((function* () { yield* rows })(), opts, problem)
    expect(json.out).toBe(formatJson(rows))
    expect(json.error).toBe(problem)
    const c = await captureIO()
    const error = await createRender(c.io)
      .listing(spec, { rows: (function* () { yield* rows })(), problem }, { ...opts, json: false })
      .catch((e: Error) => e)
    expect(c.stdout()).toBe('ID  N\na   1\nb   2\n')
    expect(error).toBe(problem)
  })

  it('a table from a generator equals the table from the array; no rows: only the note', async () => {
    const rows = [{ id: 'task-1', n: 10 }, { id: 't2', n: 2 }]
    const fromArray = await captureIO()
    await createRender(fromArray.io).listing(spec, { rows }, { ...opts, json: false })
    const fromGen = await captureIO()
    await createRender(fromGen.io).listing(spec, { rows: rows.values() }, { ...opts, json: false })
    expect(fromGen.stdout()).toBe(fromArray.stdout())
    const none = await captureIO()
    await createRender(none.io).listing(spec, { rows: [].values() }, { ...opts, json: false })
    expect(none.stdout()).toBe('')
    expect(none.stderr()).toBe('mesos: nothing\n')
  })
})
