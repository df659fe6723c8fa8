/**
 * Reading JSON values straight from bytes, for the pieces of `/master/state` the index keeps: a
 * value is skipped without allocating anything, or decoded exactly as `JSON.parse` of the body
 * decoded as UTF-8 would give it (escapes, surrogates and all), so nothing the CLI keeps depends on
 * which parser read it.
 */

/**
 * A document that is not what the scanner expects, or a piece cut short at a chunk's end (which
 * the scanner catches once per chunk): made without a stack trace, which nothing reads and which
 * cost more than the rest of the error.
 */
export class ScanError extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(message)
    Error.stackTraceLimit = limit
  }
}

/** Keys as bytes, for `Reader.keyIn`. */
export const keyTable = (...keys: string[]): readonly Uint8Array[] => keys.map((k) => Buffer.from(k))

/** Node's own slicing methods (what `toString(enc, start, end)` calls after its checks). */
type Bytes = Buffer & { latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string }

export const QUOTE = 0x22
const BACKSLASH = 0x5c

const ESCAPES: Record<number, string> = {
  0x22: '"',
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/

function hex4(buf: Uint8Array, p: number, end: number): number {
  if (p + 4 > end) throw new ScanError('a \\u escape is cut short')
  let n = 0
  for (let k = p; k < p + 4; k++) {
    const c = buf[k]!
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1
    if (d < 0) throw new ScanError('a \\u escape is not hexadecimal')
    n = n * 16 + d
  }
  return n
}

/** A cursor over `buf[pos, end)` holding one complete JSON value (or several, for arrays and objects). */
export class Reader {
  readonly buf: Bytes

  constructor(
    buf: Buffer,
    public pos: number,
    readonly end: number,
  ) {
    this.buf = buf as Bytes
  }

  fail(what: string): never {
    throw new ScanError(what)
  }

  ws(): number {
    const b = this.buf
    let p = this.pos
    while (p < this.end) {
      const c = b[p]!
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break
      p++
    }
    this.pos = p
    return p < this.end ? b[p]! : -1
  }

  expect(c: number, what: string): void {
    if (this.ws() !== c) this.fail(`expected ${what}`)
    this.pos++
  }

  /** After an element or member: true if another follows, false at `close`. */
  more(close: number): boolean {
    const c = this.ws()
    if (c === 0x2c) {
      this.pos++
      return true
    }
    if (c === close) {
      this.pos++
      return false
    }
    return this.fail(c < 0 ? 'the document ends inside a value' : `unexpected "${String.fromCharCode(c)}"`)
  }

  /** Enters an array: true if it has a first element. */
  openArray(): boolean {
    this.expect(0x5b, 'an array')
    if (this.ws() === 0x5d) {
      this.pos++
      return false
    }
    return true
  }

  /** Enters an object: true if it has a first member. */
  openObject(): boolean {
    this.expect(0x7b, 'an object')
    if (this.ws() === 0x7d) {
      this.pos++
      return false
    }
    return true
  }

  /** Reads a member's key and its colon. */
  key(): string {
    if (this.ws() !== QUOTE) this.fail('expected a key')
    const k = this.string()
    this.expect(0x3a, '":"')
    return k
  }

  /**
   * Reads a member's key and its colon: its position in `table` (keys as bytes), or -1. Compares
   * bytes, so the keys of the members skipped are never made into strings.
   */
  keyIn(table: readonly Uint8Array[]): number {
    if (this.ws() !== QUOTE) this.fail('expected a key')
    const b = this.buf
    const start = this.pos + 1
    let p = start
    while (p < this.end && b[p] !== QUOTE && b[p] !== BACKSLASH) p++
    let found = -1
    if (p < this.end && b[p] === QUOTE) {
      const len = p - start
      for (let k = 0; k < table.length && found < 0; k++) {
        const t = table[k]!
        if (t.length !== len) continue
        let j = 0
        while (j < len && t[j] === b[start + j]) j++
        if (j === len) found = k
      }
      this.pos = p + 1
    } else {
      const key = this.string()
      found = table.findIndex((t) => Buffer.from(t).toString('utf8') === key)
    }
    this.expect(0x3a, '":"')
    return found
  }

  /** The string starting at the cursor (on its opening quote). */
  string(): string {
    const b = this.buf
    const start = this.pos + 1
    let p = start
    let high = 0
    for (; p < this.end; p++) {
      const c = b[p]!
      if (c === QUOTE) {
        this.pos = p + 1
        return high < 0x80 ? b.latin1Slice(start, p) : b.utf8Slice(start, p)
      }
      if (c === BACKSLASH) break
      high |= c
    }
    return this.escapedString(start, p)
  }

  private escapedString(start: number, from: number): string {
    const b = this.buf
    let out = from > start ? b.utf8Slice(start, from) : ''
    let seg = from
    for (let p = from; p < this.end; ) {
      const c = b[p]!
      if (c === QUOTE) {
        if (p > seg) out += b.utf8Slice(seg, p)
        this.pos = p + 1
        return out
      }
      if (c !== BACKSLASH) {
        p++
        continue
      }
      if (p > seg) out += b.utf8Slice(seg, p)
      const e = b[p + 1]
      if (e === 0x75) {
        out += String.fromCharCode(hex4(b, p + 2, this.end))
        p += 6
      } else {
        const s = e === undefined ? undefined : ESCAPES[e]
        if (s === undefined || p + 1 >= this.end) this.fail('a bad escape in a string')
        out += s
        p += 2
      }
      seg = p
    }
    return this.fail('the document ends inside a string')
  }


  /** Any value, as JSON.parse would give it. */
  value(): unknown {
    const c = this.ws()
    if (c === QUOTE) return this.string()
    if (c === 0x7b) {
      const o: Record<string, unknown> = {}
      if (this.openObject()) {
        do {
          const k = this.key()
          const v = this.value()
          if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
          else o[k] = v
        } while (this.more(0x7d))
      }
      return o
    }
    if (c === 0x5b) {
      const a: unknown[] = []
      if (this.openArray()) {
        do a.push(this.value())
        while (this.more(0x5d))
      }
      return a
    }
    if (c < 0) this.fail('the document ends where a value should be')
    const e = valueEnd(this.buf, this.pos, this.end)
    const text = this.buf.latin1Slice(this.pos, e)
    this.pos = e
    if (text === 'true') return true
    if (text === 'false') return false
    if (text === 'null') return null
    if (!NUMBER.test(text)) this.fail(`"${text.slice(0, 20)}" is not a JSON value`)
    return Number(text)
  }

  /** Skips one value without decoding it. */
  skip(): void {
    if (this.ws() < 0) this.fail('the document ends where a value should be')
    this.pos = valueEnd(this.buf, this.pos, this.end)
  }
}

/**
 * After the string whose opening quote is at `p`, in `buf[p, end)`: that position when the string's
 * bytes are its text as they stand, or `-2 - position` when it holds an escape or a control byte
 * (it must be decoded). A ScanError when it does not end before `end`.
 */
export function stringEnd(buf: Uint8Array, p: number, end: number): number {
  let plain = true
  for (let q = p + 1; q < end; q++) {
    const c = buf[q]!
    if (c === QUOTE) return plain ? q + 1 : -2 - (q + 1)
    if (c === BACKSLASH) {
      plain = false
      q++
    } else if (c < 0x20) plain = false
  }
  throw new ScanError('the document ends inside a string')
}

/**
 * After the value at `p` (its first byte), passed over without decoding: a string or a container
 * by its quotes and brackets (a ScanError when it does not end before `end`), a number or literal
 * up to the byte that ends it (or `end`).
 */
export function valueEnd(buf: Uint8Array, p: number, end: number): number {
  const c = buf[p]!
  if (c === QUOTE) {
    const after = stringEnd(buf, p, end)
    return after >= 0 ? after : -2 - after
  }
  if (c === 0x7b || c === 0x5b) {
    let depth = 0
    for (; p < end; p++) {
      const d = buf[p]!
      if (d === QUOTE) {
        for (p++; p < end; p++) {
          const s = buf[p]!
          if (s === QUOTE) break
          if (s === BACKSLASH) p++
        }
      } else if (d === 0x7b || d === 0x5b) depth++
      else if ((d === 0x7d || d === 0x5d) && --depth === 0) return p + 1
    }
    throw new ScanError('the document ends inside a value')
  }
  for (; p < end; p++) {
    const d = buf[p]!
    if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break
  }
  return p
}
