/** IDs sorted in bounded runs and merged give exactly the list `joinIds` makes of them all at once. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { joinIds } from '../../src/core/completion/ids.js'
import { SortedIds } from '../../src/core/completion/sorted-ids.js'

const id = fc.oneof(
  fc.string({ maxLength: 5 }),
  fc.string({ unit: 'binary', maxLength: 3 }),
  fc.constantFrom('', 'a\nb', 'task-000001', 'task-000002', '\u{1F600}x', '\uffffz', '\ud800', 'x'),
)

describe('SortedIds', () => {
  it('merged runs equal joinIds, whatever the run size and the chunk size', () => {
    fc.assert(
      fc.property(fc.array(id, { maxLength: 60 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 20 }), (ids, run, size) => {
        const want = joinIds(ids)
        const sorted = SortedIds.of(ids, run)
        expect(sorted.joined()).toBe(want)
        const chunks = [...sorted.chunks(size)]
        for (const c of chunks) expect(c.endsWith('\n')).toBe(true)
        expect(chunks.join('')).toBe(want === '' ? '' : `${want}\n`)
        expect([...sorted]).toEqual(want === '' ? [] : want.split('\n'))
        expect(sorted.lengthBound).toBeGreaterThanOrEqual(want.length)
        if (ids.length <= run) expect(sorted.lengthBound).toBe(want.length)
      }),
      { numRuns: 500 },
    )
  })

  it('IDs given as bytes (as a scan reads them), mixed with strings, sort as their decoding would', () => {
    const bytes = fc.uint8Array({ maxLength: 6 }).map((b) => b.map((x) => (x < 0x20 ? x + 0x20 : x)))
    const given = fc.oneof(id.map((s) => ({ s })), bytes.map((b) => ({ b })))
    fc.assert(
      fc.property(fc.array(given, { maxLength: 60 }), fc.integer({ min: 1, max: 7 }), (items, run) => {
        const sorted = new SortedIds(run)
        const decoded: string[] = []
        for (const it of items) {
          if ('s' in it) {
            sorted.add(it.s)
            decoded.push(it.s)
          } else {
            // inside a bigger buffer, as a chunk of the document holds it
            const around = Buffer.concat([Buffer.from('{"id":"'), it.b, Buffer.from('"}')])
            sorted.addBytes(around, 7, 7 + it.b.length)
            decoded.push(Buffer.from(it.b).toString('utf8'))
          }
        }
        expect(sorted.joined()).toBe(joinIds(decoded))
      }),
      { numRuns: 500 },
    )
  })

  it('keeps one string per run, not one per ID', () => {
    const sorted = new SortedIds(1000)
    for (let i = 99_999; i >= 0; i--) sorted.add(`task-${String(i % 50_000).padStart(6, '0')}`)
    const text = [...sorted.chunks()].join('')
    expect(text.split('\n')).toHaveLength(50_001)
    expect(text.startsWith('task-000000\ntask-000001\n')).toBe(true)
    expect((sorted as unknown as { runs: string[] }).runs).toHaveLength(100)
  })
})
