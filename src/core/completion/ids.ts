/**
 * A sorted list of unique IDs kept as one newline-separated string: on a 100,000-task cluster this
 * is about a megabyte that JSON.parse reads as a single string (no 100,000 objects), a prefix
 * search is a native `indexOf` that finds one contiguous block, and a fragment search is a scan.
 */
import { globToRegExp, isGlob } from '../tasks/matcher.js'

export class IdList {
  /** `\n`-framed: every ID is preceded and followed by a newline. */
  private readonly text: string

  /** `joined`: sorted, unique IDs separated by newlines (as `IdList.of(...).joined` makes them). */
  constructor(joined: string) {
    this.text = joined === '' ? '\n' : `\n${joined}\n`
  }

  static of(ids: Iterable<string>): IdList {
    return new IdList([...new Set(ids)].filter((id) => id !== '' && !id.includes('\n')).sort().join('\n'))
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
