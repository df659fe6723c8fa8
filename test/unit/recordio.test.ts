import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeRecord, RecordIODecoder, RecordIOError, type SkippedRecord } from '../../src/core/events/recordio.js'

/** Splits `buf` at the given cut points (sorted, deduplicated, within range). */
function split(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b)
  const out: Buffer[] = []
  let prev = 0
  for (const p of points) {
    out.push(buf.subarray(prev, p))
    prev = p
  }
  out.push(buf.subarray(prev))
  return out
}

describe('RecordIO decoder', () => {
  it('decodes the framing of a SUBSCRIBE stream', () => {
    const d = new RecordIODecoder()
    const stream = Buffer.from('21\n{"type":"SUBSCRIBED"}20\n{"type":"HEARTBEAT"}')
    expect(d.push(stream).map(String)).toEqual(['{"type":"SUBSCRIBED"}', '{"type":"HEARTBEAT"}'])
    expect(d.pending).toBe(0)
  })

  it('gives the same records whatever the chunk boundaries (property)', () => {
    const payload = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a).toString('latin1')),
      fc.constant(''),
    )
    fc.assert(
      fc.property(fc.array(payload, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 40 }), (records, cuts) => {
        const wire = Buffer.concat(records.map((r) => encodeRecord(Buffer.from(r, 'latin1'))))
        const d = new RecordIODecoder()
        const got: Buffer[] = []
        for (const chunk of split(wire, cuts)) got.push(...d.push(chunk))
        expect(got.map((b) => b.toString('latin1'))).toEqual(records)
        expect(d.pending).toBe(0)
      }),
      { numRuns: 500 },
    )
  })

  it('handles one byte at a time, multi-byte UTF-8 split included', () => {
    const wire = encodeRecord('{"msg":"ünïcødé ✓"}')
    const d = new RecordIODecoder()
    const got: Buffer[] = []
    for (const byte of wire) got.push(...d.push(Uint8Array.of(byte)))
    expect(got.map(String)).toEqual(['{"msg":"ünïcødé ✓"}'])
  })

  it('refuses a corrupt length', () => {
    expect(() => new RecordIODecoder().push(Buffer.from('abc\n{}'))).toThrow(RecordIOError)
    expect(() => new RecordIODecoder().push(Buffer.from('1'.repeat(30)))).toThrow(RecordIOError)
    expect(() => new RecordIODecoder().push(Buffer.from('999999999999\n'))).toThrow(/too large/)
  })

  it('with skipAbove, passes over longer records in flat memory and keeps their length, start and end (property)', () => {
    const payload = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ minLength: 41, maxLength: 6000 }))
    fc.assert(
      fc.property(fc.array(payload, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 40 }), (records, cuts) => {
        const bodies = records.map((r) => Buffer.from(r))
        const wire = Buffer.concat(bodies.map((b) => encodeRecord(b)))
        const d = new RecordIODecoder({ skipAbove: 40 })
        const got: (Buffer | SkippedRecord)[] = []
        for (const chunk of split(wire, cuts)) {
          got.push(...d.read(chunk))
          // a skipped record is never held: what waits is at most one chunk
          expect(d.pending).toBeLessThanOrEqual(chunk.length + 60)
        }
        expect(got.length).toBe(bodies.length)
        for (const [i, b] of bodies.entries()) {
          const r = got[i]!
          if (b.length <= 40) expect(Buffer.isBuffer(r) && r.equals(b)).toBe(true)
          else {
            expect(Buffer.isBuffer(r)).toBe(false)
            const s = r as SkippedRecord
            expect(s.skipped).toBe(b.length)
            expect(s.head.equals(b.subarray(0, 256))).toBe(true)
            expect(s.tail.equals(b.subarray(-4096))).toBe(true)
          }
        }
        expect(d.pending).toBe(0)
      }),
      { numRuns: 300 },
    )
  })

  it('push leaves out the records it skipped; a length beyond any real record is still corrupt', () => {
    const d = new RecordIODecoder({ skipAbove: 3 })
    expect(d.push(Buffer.from('2\nab7\nabcdefg1\nz')).map(String)).toEqual(['ab', 'z'])
    expect(() => new RecordIODecoder({ skipAbove: 3 }).push(Buffer.from('99999999999999\n'))).toThrow(/too large/)
  })
})
