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
  private lineStart(pos: number): number {
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

  private lineAt(pos: number): [string, number] {
    for (let len = 256; ; len *= 4) {
      const chunk = this.read(pos, len)
      const nl = chunk.indexOf(0x0a)
      if (nl >= 0) return [chunk.toString('utf8', 0, nl), pos + nl + 1]
      if (pos + chunk.length >= this.end) return [chunk.toString('utf8'), this.end]
    }
  }

  /** Offset of the first line that is not below `key`. */
  lowerBound(key: string): number {
    let lo = this.start
    let hi = this.end
    // invariant: lines starting before lo are below key; the line at hi (if any) is not
    while (lo < hi) {
      const mid = this.lineStart(lo + Math.floor((hi - lo) / 2))
      const [line, next] = this.lineAt(mid < lo ? lo : mid)
      if (line < key) lo = next
      else hi = mid < lo ? lo : mid
    }
    return lo
  }

  text(from = this.start, to = this.end): string {
    return this.read(from, to - from).toString('utf8')
  }

  block(prefix: string): string {
    if (prefix === '') return this.text().replace(/\n$/, '')
    const lo = this.lowerBound(prefix)
    const next = successor(prefix)
    const hi = next === undefined ? this.end : this.lowerBound(next)
    return hi > lo ? this.text(lo, hi).replace(/\n$/, '') : ''
  }
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
