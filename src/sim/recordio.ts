/** RecordIO framing (`docs/recordio.md`): `<decimal length>\n<payload>`, no trailing newline. */
export function frame(payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${payload.length}\n`, 'ascii'), payload])
}

/** Incremental decoder, for tests and tools that read the simulator's streams. */
export class RecordReader {
  private buf: Buffer = Buffer.alloc(0)

  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk
    const out: Buffer[] = []
    while (true) {
      const nl = this.buf.indexOf(0x0a)
      if (nl < 0) break
      const len = Number(this.buf.subarray(0, nl).toString('ascii'))
      if (!Number.isSafeInteger(len) || len < 0)
        throw new Error(`bad RecordIO length ${this.buf.subarray(0, nl).toString()}`)
      if (this.buf.length < nl + 1 + len) break
      out.push(this.buf.subarray(nl + 1, nl + 1 + len))
      this.buf = this.buf.subarray(nl + 1 + len)
    }
    return out
  }
}
