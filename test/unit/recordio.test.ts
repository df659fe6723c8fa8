import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeRecord, RecordIODecoder, RecordIOError } from '../../src/core/events/recordio.js'

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
})
