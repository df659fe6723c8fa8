/**
 * A list of IDs kept as one newline-separated string: on a 100,000-task cluster this is a
 * few MB that JSON.parse reads as a single string (no 100,000 objects), and a prefix or fragment
 * search is a native `indexOf` scan.
 */
import { globToRegExp, isGlob } from '../tasks/matcher.js'

export class IdList {
  /** `\n`-framed: every ID is preceded and followed by a newline. */
  private readonly text: string

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

  private lineAt(i: number): { id: string; end: number } {
    const start = this.text.lastIndexOf('\n', i) + 1
    const end = this.text.indexOf('\n', i)
    return { id: this.text.slice(start, end), end }
  }

  /** Sorted, without duplicates (the list may be the concatenation of two sorted lists). */
  private static tidy(ids: string[]): string[] {
    ids.sort()
    return ids.filter((id, i) => i === 0 || ids[i - 1] !== id)
  }

  withPrefix(prefix: string): string[] {
    const out: string[] = []
    const needle = `\n${prefix}`
    for (let i = this.text.indexOf(needle); i >= 0 && i < this.text.length - 1; ) {
      const { id, end } = this.lineAt(i + 1)
      out.push(id)
      i = this.text.indexOf(needle, end)
    }
    return IdList.tidy(out)
  }

  /** IDs containing the fragment, or matching it as a shell glob (spec section 4). */
  matching(filter: string): string[] {
    if (filter.includes('\n')) return []
    const out: string[] = []
    if (filter !== '') {
      for (let i = this.text.indexOf(filter, 1); i >= 0; ) {
        const { id, end } = this.lineAt(i)
        out.push(id)
        i = this.text.indexOf(filter, end + 1)
      }
    }
    if (isGlob(filter)) {
      const re = globToRegExp(filter)
      const seen = new Set(out)
      for (const id of this.text.slice(1, -1).split('\n')) if (re.test(id) && !seen.has(id)) out.push(id)
    }
    return IdList.tidy(out)
  }
}
