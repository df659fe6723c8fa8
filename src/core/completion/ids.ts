/**
 * A sorted list of unique IDs kept as one newline-separated text: in memory (a small cluster, or a
 * list just built), or as a byte range of a file of the completion cache. A prefix search in the
 * file is two binary searches and one read of the matching block, whatever the list's size (a
 * million IDs are 12 MB that a TAB need not read); a fragment search reads the whole range.
 */
import { openSync, readSync } from 'node:fs'
import { globToRegExp, isGlob } from '../tasks/matcher.js'

/** Sorted, unique, usable IDs (no empty ones, none with a newline), newline-joined. */
export function joinIds(ids: Iterable<string>): string {
  return [...new Set(ids)].filter((id) => id !== '' && !id.includes('\n')).sort().join('\n')
}

/** The smallest string above every string that starts with `p` (in code-unit order), or undefined. */
function successor(p: string): string | undefined {
  for (let i = p.length - 1; i >= 0; i--) {
    const c = p.charCodeAt(i)
    if (c < 0xffff) return p.slice(0, i) + String.fromCharCode(c + 1)
  }
  return undefined
}

/** A newline-joined sorted list in `file[start, end)`, searched without reading all of it. */
export class FileRange {
  constructor(
    private readonly fd: number,
    private readonly start: number,
    private readonly end: number,
  ) {}

  private read(from: number, len: number): Buffer {
    const buf = Buffer.allocUnsafe(Math.max(0, Math.min(len, this.end - from)))
    let got = 0
    while (got < buf.length) {
      const n = readSync(this.fd, buf, got, buf.length - got, from + got)
      if (n === 0) break
      got += n
    }
    return buf.subarray(0, got)
  }

  /** The start of the line that contains `pos` (lines begin after a newline or at `start`). */
  lineStart(pos: number): number {
    let p = pos
    while (p > this.start) {
      const from = Math.max(this.start, p - 256)
      const chunk = this.read(from, p - from)
      const nl = chunk.lastIndexOf(0x0a)
      if (nl >= 0) return from + nl + 1
      p = from
    }
    return this.start
  }

  lineAt(pos: number): [string, number] {
    for (let len = 256; ; len *= 4) {
      const chunk = this.read(pos, len)
      const nl = chunk.indexOf(0x0a)
      if (nl >= 0) return [chunk.toString('utf8', 0, nl), pos + nl + 1]
      if (pos + chunk.length >= this.end) return [chunk.toString('utf8'), this.end]
    }
  }

  /** Offset of the first line in `[from, to)` that is not below `key` (`from` starts a line). */
  lowerBound(key: string, from = this.start, to = this.end): number {
    let lo = from
    let hi = to
    // invariant: lines starting before lo are below key; the line at hi (if any) is not
    while (lo < hi) {
      const [start, line, next] = this.lineAround(lo + Math.floor((hi - lo) / 2))
      const mid = start < lo ? lo : start
      if (line < key) lo = mid === start ? next : this.lineAt(lo)[1]
      else hi = mid
    }
    return lo
  }

  /** The line that contains `pos` (its start, text and the position after it), mostly from one read. */
  private lineAround(pos: number): [number, string, number] {
    const from = Math.max(this.start, pos - 256)
    const buf = this.read(from, pos - from + 256)
    const before = pos > from ? buf.lastIndexOf(0x0a, pos - from - 1) : -1
    if (before >= 0 || from === this.start) {
      const at = before + 1
      const nl = buf.indexOf(0x0a, at)
      if (nl >= 0) return [from + at, buf.toString('utf8', at, nl), from + nl + 1]
      if (from + buf.length >= this.end) return [from + at, buf.toString('utf8', at), this.end]
    }
    const start = this.lineStart(pos)
    return [start, ...this.lineAt(start)]
  }

  text(from = this.start, to = this.end): string {
    return this.read(from, to - from).toString('utf8')
  }

  /** The byte range of the lines that start with `prefix`. */
  range(prefix: string): [number, number] {
    if (prefix === '') return [this.start, this.end]
    const lo = this.lowerBound(prefix)
    const next = successor(prefix)
    return [lo, next === undefined ? this.end : this.lowerBound(next, lo)]
  }

  block(prefix: string): string {
    const [lo, hi] = this.range(prefix)
    return hi > lo ? this.text(lo, hi).replace(/\n$/, '') : ''
  }

  /** The IDs starting with `prefix`, or their groups when there are more than MAX_LISTED. */
  answer(prefix: string): PrefixAnswer {
    const [lo, hi] = this.range(prefix)
    if (hi <= lo) return { text: '', grouped: false }
    // MAX_LISTED IDs of up to 255 bytes: a block this size is read and counted
    if (hi - lo <= MAX_LISTED * 256) return answerOf(this.text(lo, hi).replace(/\n$/, '').split('\n'))
    const lines: Sorted = {
      first: this.lineAt(lo)[0],
      last: this.lineAt(this.lineStart(hi - 1))[0],
      groups: (depth, limit) => {
        const out: string[] = []
        for (let pos = lo; pos < hi && out.length <= limit; ) {
          const g = cut(this.lineAt(pos)[0], depth)
          out.push(g)
          const next = successor(g)
          pos = next === undefined ? hi : this.lowerBound(next, pos, hi)
        }
        return out
      },
    }
    return { text: groupsOf(lines).join('\n'), grouped: true }
  }
}

/**
 * A TAB lists at most this many IDs: more is of no use to anyone at a prompt (bash would first ask
 * "Display all 900000 possibilities?"). Past it, the answer is groups: distinct longer prefixes of
 * the matching IDs, at most MAX_GROUPS (at least two, so a shell inserts only their common prefix,
 * which is the matching IDs' own: never a wrong completion).
 */
export const MAX_LISTED = 1000
export const MAX_GROUPS = 100

export interface PrefixAnswer {
  /** Newline-separated IDs, or prefixes of IDs when `grouped`. */
  text: string
  grouped: boolean
}

/** A sorted list seen through its first and last line and its distinct prefixes of a length. */
interface Sorted {
  first: string
  last: string
  /** Distinct `cut(line, depth)` in order; stops once past `limit`. */
  groups(depth: number, limit: number): string[]
}

/** `line` cut after `depth` code units (never between the halves of a surrogate pair). */
function cut(line: string, depth: number): string {
  const c = line.charCodeAt(depth - 1)
  return line.slice(0, c >= 0xd800 && c <= 0xdbff ? depth + 1 : depth)
}

/** The deepest grouping with at most MAX_GROUPS groups, below the common prefix of all the lines. */
function groupsOf(s: Sorted): string[] {
  let common = 0
  while (common < s.first.length && s.first.charCodeAt(common) === s.last.charCodeAt(common)) common++
  let best = s.groups(common + 1, MAX_LISTED).slice(0, MAX_LISTED)
  // deeper is better while the groups stay few (the same count deeper means longer groups)
  for (let depth = common + 2, before = 1; depth <= common + 64; depth++) {
    // a level that multiplied the groups by k likely does so again: skip a search bound to overflow
    if (best.length * (best.length / before) > 4 * MAX_GROUPS) break
    const g = s.groups(depth, MAX_GROUPS)
    if (g.length > MAX_GROUPS) break
    before = best.length
    best = g
  }
  return best
}

function answerOf(lines: string[]): PrefixAnswer {
  if (lines.length <= MAX_LISTED) return { text: lines.join('\n'), grouped: false }
  const sorted: Sorted = {
    first: lines[0]!,
    last: lines.at(-1)!,
    groups: (depth, limit) => {
      const out: string[] = []
      for (const line of lines) {
        if (out.length > limit) break
        const g = cut(line, depth)
        if (out.at(-1) !== undefined && line.startsWith(out.at(-1)!)) continue
        out.push(g)
      }
      return out
    },
  }
  return { text: groupsOf(sorted).join('\n'), grouped: true }
}

export class IdList {
  /** `\n`-framed: every ID is preceded and followed by a newline (read from the file when needed). */
  private framed?: string
  private readonly file?: FileRange

  /** `joined`: sorted, unique IDs separated by newlines (as `joinIds` makes them). */
  constructor(joined: string, file?: FileRange) {
    if (file) this.file = file
    else this.framed = joined === '' ? '\n' : `\n${joined}\n`
  }

  static of(ids: Iterable<string>): IdList {
    return new IdList(joinIds(ids))
  }

  /**
   * The list in bytes `[start, end)` of `path` (newline-joined, each line ended by a newline).
   * The file stays open for the life of the process (a TAB is one short process).
   */
  static inFile(path: string, start: number, end: number): IdList {
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch {
      return new IdList('')
    }
    return new IdList('', new FileRange(fd, start, end))
  }

  private get text(): string {
    this.framed ??= `\n${this.file!.text()}`
    return this.framed
  }

  get size(): number {
    let n = 0
    for (let i = this.text.indexOf('\n', 1); i >= 0; i = this.text.indexOf('\n', i + 1)) n++
    return n
  }

  /** The joined form, for storing. */
  get joined(): string {
    return this.text.slice(1, -1)
  }

  /**
   * IDs starting with `prefix` as newline-separated text (in a sorted list, one block of lines):
   * 90,000 IDs go to stdout without becoming 90,000 strings.
   */
  prefixBlock(prefix: string): string {
    if (prefix.includes('\n')) return ''
    if (this.framed === undefined && this.file) return this.file.block(prefix)
    const needle = `\n${prefix}`
    const first = this.text.indexOf(needle)
    if (first < 0 || first === this.text.length - 1) return ''
    let end = this.text.indexOf('\n', first + 1)
    // extend the block while the next line also starts with the prefix
    while (end < this.text.length - 1 && this.text.startsWith(needle, end)) end = this.text.indexOf('\n', end + 1)
    return this.text.slice(first + 1, end)
  }

  /** What a TAB on `prefix` lists: the matching IDs, or their groups past MAX_LISTED. */
  prefixAnswer(prefix: string): PrefixAnswer {
    if (prefix.includes('\n')) return { text: '', grouped: false }
    if (this.framed === undefined && this.file) return this.file.answer(prefix)
    const block = this.prefixBlock(prefix)
    return block === '' ? { text: '', grouped: false } : answerOf(block.split('\n'))
  }

  withPrefix(prefix: string): string[] {
    const block = this.prefixBlock(prefix)
    return block === '' ? [] : block.split('\n')
  }

  /** IDs containing the fragment, or matching it as a shell glob (spec section 4), sorted. */
  matching(filter: string): string[] {
    if (filter.includes('\n')) return []
    const out: string[] = []
    if (filter !== '') {
      for (let i = this.text.indexOf(filter, 1); i >= 0; ) {
        const start = this.text.lastIndexOf('\n', i) + 1
        const end = this.text.indexOf('\n', i)
        out.push(this.text.slice(start, end))
        i = this.text.indexOf(filter, end + 1)
      }
    }
    if (isGlob(filter)) {
      const re = globToRegExp(filter)
      const seen = new Set(out)
      for (const id of this.text.slice(1, -1).split('\n')) if (re.test(id) && !seen.has(id)) out.push(id)
      out.sort()
    }
    return out
  }
}
