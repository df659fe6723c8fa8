/**
 * RecordIO as the Mesos v1 API streams it: `<decimal length>\n<payload>`, no separator after the
 * payload, chunk boundaries anywhere (even inside the length). The decoder is incremental and pure.
 */

export class RecordIOError extends Error {}

/** Lengths beyond this are a corrupt stream, not a record to wait for. */
const MAX_RECORD = 256 * 1024 * 1024
const MAX_LENGTH_DIGITS = 20

export class RecordIODecoder {
  private buffered: Buffer[] = []
  private size = 0
  /** Length of the record being read, once its header line is complete. */
  private expected?: number

  /** Feeds a chunk; returns every record it completes, in order. */
  push(chunk: Uint8Array): Buffer[] {
    if (chunk.length > 0) {
      this.buffered.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      this.size += chunk.length
    }
    const out: Buffer[] = []
    for (;;) {
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
        if (n > MAX_RECORD) throw new RecordIOError(`RecordIO record of ${n} bytes is too large`)
        this.expected = n
        this.consume(nl + 1)
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
