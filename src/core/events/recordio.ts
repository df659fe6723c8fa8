/**
 * RecordIO as the Mesos v1 API streams it: `<decimal length>\n<payload>`, no separator after the
 * payload, chunk boundaries anywhere (even inside the length). The decoder is incremental and pure.
 */

export class RecordIOError extends Error {}

/** Lengths beyond this are a corrupt stream, not a record to wait for (unless records that big are skipped). */
const MAX_RECORD = 256 * 1024 * 1024
/** Even a skipped record longer than this is a corrupt stream. */
const MAX_SKIPPED = 2 ** 40
const MAX_LENGTH_DIGITS = 20
/** How much of a skipped record's start and end is kept. */
const HEAD_BYTES = 256
const TAIL_BYTES = 4096

/** A record too big to keep: its length, its first and its last bytes. */
export interface SkippedRecord {
  readonly skipped: number
  readonly head: Buffer
  readonly tail: Buffer
}

export class RecordIODecoder {
  private buffered: Buffer[] = []
  private size = 0
  /** Length of the record being read, once its header line is complete. */
  private expected?: number
  /** While a record is being skipped: how many of its bytes are still to come, and its end so far. */
  private skipping?: { left: number; size: number; head: Buffer; tail: Buffer }

  /**
   * `skipAbove`: records longer than this are not kept but passed over as they arrive (memory stays
   * flat) and reported as a `SkippedRecord` by `read`.
   */
  constructor(private readonly opts: { skipAbove?: number } = {}) {}

  /** Feeds a chunk; returns every record it completes, in order. */
  push(chunk: Uint8Array): Buffer[] {
    return this.read(chunk).filter((r): r is Buffer => Buffer.isBuffer(r))
  }

  /** As `push`, with the records skipped for their size in their place. */
  read(chunk: Uint8Array): (Buffer | SkippedRecord)[] {
    if (chunk.length > 0) {
      this.buffered.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      this.size += chunk.length
    }
    const out: (Buffer | SkippedRecord)[] = []
    for (;;) {
      if (this.skipping) {
        const done = this.skip()
        if (!done) return out
        out.push(done)
      }
      if (this.expected === undefined) {
        const data = this.peek()
        const nl = data.indexOf(0x0a)
        if (nl < 0) {
          if (data.length > MAX_LENGTH_DIGITS) throw new RecordIOError('RecordIO length line too long')
          return out
        }
        const text = data.subarray(0, nl).toString('latin1')
        if (!/^\d+$/.test(text)) throw new RecordIOError(`bad RecordIO length ${JSON.stringify(text.slice(0, 20))}`)
        const n = Number(text)
        const skipAbove = this.opts.skipAbove
        if (n > (skipAbove === undefined ? MAX_RECORD : MAX_SKIPPED)) throw new RecordIOError(`RecordIO record of ${n} bytes is too large`)
        this.consume(nl + 1)
        if (skipAbove !== undefined && n > skipAbove) {
          this.skipping = { left: n, size: n, head: Buffer.alloc(0), tail: Buffer.alloc(0) }
          continue
        }
        this.expected = n
      }
      if (this.size < this.expected) return out
      const data = this.peek()
      out.push(Buffer.from(data.subarray(0, this.expected)))
      this.consume(this.expected)
      this.expected = undefined
    }
  }

  /** Bytes received but not yet part of a complete record. */
  get pending(): number {
    return this.size
  }

  /** Passes over what has arrived of the record being skipped; the record once its last byte is here. */
  private skip(): SkippedRecord | undefined {
    const s = this.skipping!
    while (s.left > 0 && this.buffered.length > 0) {
      const b = this.buffered[0]!
      const take = Math.min(b.length, s.left)
      const part = b.subarray(0, take)
      if (s.head.length < HEAD_BYTES) s.head = Buffer.concat([s.head, part.subarray(0, HEAD_BYTES - s.head.length)])
      s.tail = part.length >= TAIL_BYTES ? Buffer.from(part.subarray(part.length - TAIL_BYTES)) : Buffer.concat([s.tail, part]).subarray(-TAIL_BYTES)
      s.left -= take
      this.size -= take
      if (take === b.length) this.buffered.shift()
      else this.buffered[0] = b.subarray(take)
    }
    if (s.left > 0) return undefined
    this.skipping = undefined
    return { skipped: s.size, head: s.head, tail: s.tail }
  }

  private peek(): Buffer {
    if (this.buffered.length > 1) this.buffered = [Buffer.concat(this.buffered)]
    return this.buffered[0] ?? Buffer.alloc(0)
  }

  private consume(n: number): void {
    const data = this.peek()
    const rest = data.subarray(n)
    this.buffered = rest.length ? [rest] : []
    this.size = rest.length
  }
}

export function encodeRecord(payload: string | Buffer): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload)
  return Buffer.concat([Buffer.from(`${body.length}\n`), body])
}
