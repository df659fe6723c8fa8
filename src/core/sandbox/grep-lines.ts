/**
 * What grep prints of one source, block by block: the selected lines (or only their matches, -o),
 * with line numbers (-n), context lines around them (-A/-B/-C) and a group separator before each
 * group of lines that does not follow the previous one, stopping after -m selected lines (and
 * their trailing context). Positions are kept as byte offsets in the source, so adjacency costs
 * nothing; lines are counted only when numbers are asked.
 */
import { type Matcher, scanLines, scanLiteral, scanWithout } from './grep-pattern.js'

/** A printed line (its bytes with a newline, its number when asked), or null for a group separator. */
export type GrepLine = { text: Buffer; number?: number; context: boolean } | null

export interface LineOptions {
  invert: boolean
  /** Matching lines, a count per source (-c), or the names of sources with a match (-l). */
  output: 'lines' | 'count' | 'names'
  lineNumbers: boolean
  onlyMatching: boolean
  maxCount?: number
  before: number
  after: number
  /** Context was asked (even 0): groups are separated. */
  separators: boolean
}

const NEWLINE = Buffer.from('\n')

/** Below this many bytes per line on average, counting word by word beats a search per line. */
const DENSE_LINE_BYTES = 32

/**
 * The newlines in buf[from, to): one native search per line while lines are long (the usual log),
 * four bytes at a time once they prove short.
 */
export function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; ) {
    const at = buf.indexOf(0x0a, i)
    if (at < 0 || at >= to) return n
    n++
    i = at + 1
    if (n >= 64 && i - from < n * DENSE_LINE_BYTES) return n + countNewlinesByWord(buf, i, to)
  }
  return n
}

/**
 * Per word, a byte that was 0x0a is zero after the xor, and the arithmetic sets the high bit of
 * exactly those bytes (no borrow between bytes); the per-byte flags add up in four byte lanes for
 * up to 255 words before the lanes are summed.
 */
export function countNewlinesByWord(buf: Buffer, from: number, to: number): number {
  let n = 0
  let i = from
  const head = Math.min(to, from + ((4 - ((buf.byteOffset + from) & 3)) & 3))
  for (; i < head; i++) if (buf[i] === 0x0a) n++
  const words = (to - i) >>> 2
  if (words > 0) {
    const w = new Uint32Array(buf.buffer, buf.byteOffset + i, words)
    for (let k = 0; k < words; ) {
      const stop = Math.min(words, k + 255)
      let lanes = 0
      for (; k < stop; k++) {
        const x = w[k]! ^ 0x0a0a0a0a
        lanes += (~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f) >>> 7) & 0x01010101
      }
      n += (lanes & 0xff) + ((lanes >>> 8) & 0xff) + ((lanes >>> 16) & 0xff) + (lanes >>> 24)
    }
    i += words * 4
  }
  for (; i < to; i++) if (buf[i] === 0x0a) n++
  return n
}

export class SourceLines {
  /** Lines selected so far. */
  selected = 0
  /** Nothing more to print or count: the source need not be read further. */
  done = false
  private base = 0
  /** Offset in the source just after the last printed line; -1 before any. */
  private printedEnd = -1
  private afterLeft = 0
  private maxed = false
  /** Lines counted before `counted` in the current block. */
  private lineNo = 0
  private counted = 0
  /** The last `before` lines of earlier blocks, for context at the start of a block. */
  private tail: { at: number; text: Buffer; number: number }[] = []
  private buf: Buffer = Buffer.alloc(0)
  private text: string | undefined
  private out: GrepLine[] = []

  constructor(
    private readonly m: Matcher,
    private readonly o: LineOptions,
  ) {
    // -m 0: grep stops before reading
    this.done = o.maxCount === 0
  }

  /** Searches a block of complete lines (the last line of a source may lack its newline). */
  block(buf: Buffer): GrepLine[] {
    const o = this.o
    this.buf = buf
    this.counted = 0
    this.out = []
    const literal = o.invert || o.onlyMatching ? undefined : this.m.literal
    const required = o.invert || o.onlyMatching || literal ? undefined : this.m.required
    // latin1 text has one character per byte: positions in it are positions in buf
    this.text = literal || required ? undefined : buf.toString('latin1')
    const counting = o.output === 'count' && o.maxCount === undefined
    const full = (start: number, end: number): boolean | void => {
      this.flushAfter(start)
      this.selected++
      const last = o.maxCount !== undefined && this.selected >= o.maxCount
      if (o.output === 'names' || (o.output === 'count' && last)) {
        this.done = true
        return false
      }
      if (o.output === 'count') return
      this.printBefore(start)
      this.print(start, end, false)
      this.afterLeft = o.after
      if (last) {
        this.maxed = true
        return false
      }
    }
    // -c without -m: nothing but a count, per line (all of them with -v)
    const hit = counting ? () => void this.selected++ : full
    if (!this.maxed) {
      if (literal) scanLiteral(buf, literal, hit)
      else if (required) {
        const line = this.m.line
        scanLiteral(buf, required, (start, end) => (line.test(buf.toString('latin1', start, end)) ? hit(start, end) : undefined))
      } else if (o.invert && !o.onlyMatching && this.m.literal) scanWithout(this.text!, this.m.literal.toString('latin1'), hit)
      else scanLines(this.text!, this.m, o.invert, hit)
    }
    this.flushAfter(buf.length)
    if (this.maxed && this.afterLeft === 0) this.done = true
    if (o.lineNumbers) this.count(buf.length)
    if (o.before > 0) this.keepTail()
    this.base += buf.length
    return this.out
  }

  private count(to: number): void {
    if (to > this.counted) this.lineNo += countNewlines(this.buf, this.counted, to)
    this.counted = to
  }

  private lineEnd(start: number): number {
    const end = this.buf.indexOf(0x0a, start)
    return end < 0 ? this.buf.length : end
  }

  /** Prints the line at [start, end) of the block; `end` excludes the newline. */
  private print(start: number, end: number, context: boolean): void {
    const o = this.o
    let number: number | undefined
    if (o.lineNumbers) {
      this.count(start)
      number = this.lineNo + 1
    }
    this.printedEnd = this.base + end + 1
    if (o.onlyMatching) {
      if (context || o.invert) return
      const line = this.text!.slice(start, end)
      const re = this.m.all
      re.lastIndex = 0
      for (let f = re.exec(line); f; f = re.exec(line)) {
        if (f[0].length === 0) {
          re.lastIndex++
          continue
        }
        const to = this.m.longest ? this.m.longest(line, f.index, f.index + f[0].length) : f.index + f[0].length
        re.lastIndex = to
        const text = Buffer.concat([this.buf.subarray(start + f.index, start + to), NEWLINE])
        this.out.push(number === undefined ? { text, context } : { text, number, context })
      }
      return
    }
    const text = end < this.buf.length ? this.buf.subarray(start, end + 1) : Buffer.concat([this.buf.subarray(start, end), NEWLINE])
    this.out.push(number === undefined ? { text, context } : { text, number, context })
  }

  /** Trailing context: the lines after the last printed one, up to `limit` (a line start). */
  private flushAfter(limit: number): void {
    while (this.afterLeft > 0) {
      const start = this.printedEnd - this.base
      if (start >= limit || start >= this.buf.length) return
      this.print(start, this.lineEnd(start), true)
      this.afterLeft--
    }
  }

  /** Leading context of the line at `start`, then the separator when the group does not follow on. */
  private printBefore(start: number): void {
    const o = this.o
    const starts: number[] = []
    let pos = start
    while (starts.length < o.before && pos > 0 && this.base + pos > this.printedEnd) {
      pos = pos < 2 ? 0 : this.buf.lastIndexOf(0x0a, pos - 2) + 1
      if (this.base + pos < this.printedEnd) break
      starts.unshift(pos)
    }
    const need = o.before - starts.length
    const fromTail = need > 0 && (starts[0] ?? start) === 0 ? this.tail.filter((t) => t.at >= this.printedEnd).slice(-need) : []
    const first = fromTail[0]?.at ?? this.base + (starts[0] ?? start)
    if (o.separators && first !== this.printedEnd) this.out.push(null)
    for (const t of fromTail) {
      if (!o.onlyMatching) this.out.push(o.lineNumbers ? { text: t.text, number: t.number, context: true } : { text: t.text, context: true })
      this.printedEnd = t.at + t.text.length
    }
    for (const s of starts) this.print(s, this.lineEnd(s), true)
  }

  /** Keeps the block's last lines (numbered when asked) for the next block's leading context. */
  private keepTail(): void {
    const buf = this.buf
    const lines: { at: number; text: Buffer; number: number }[] = []
    let end = buf.length
    let number = this.lineNo
    while (lines.length < this.o.before && end > 0) {
      const start = end < 2 ? 0 : buf.lastIndexOf(0x0a, end - 2) + 1
      lines.unshift({ at: this.base + start, text: Buffer.from(buf.subarray(start, end)), number: number-- })
      end = start
    }
    this.tail = [...this.tail, ...lines].slice(-this.o.before)
  }
}
