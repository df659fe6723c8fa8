/**
 * Sorted, unique, usable IDs gathered one at a time (a scan of a million tasks) in memory
 * proportional to their text, not to their count: every RUN_IDS IDs are sorted, deduplicated and
 * joined into one string (a sorted run), and the runs are merged as the list is written out.
 */

/** IDs a run holds before it is sorted and joined: a run's strings are the only per-ID objects alive. */
const RUN_IDS = 1 << 16

/** What `joinIds` (ids.ts) makes of the same IDs, yielded in chunks of whole lines. */
export class SortedIds implements Iterable<string> {
  private pending: string[] = []
  private readonly runs: string[] = []

  constructor(private readonly runIds = RUN_IDS) {}

  static of(ids: Iterable<string>, runIds?: number): SortedIds {
    const out = new SortedIds(runIds)
    for (const id of ids) out.add(id)
    return out
  }

  add(id: string): void {
    if (id === '' || id.includes('\n')) return
    this.pending.push(id)
    if (this.pending.length === this.runIds) this.seal()
  }

  private seal(): void {
    if (this.pending.length === 0) return
    const ids = this.pending.sort()
    let kept = 0
    for (const id of ids) if (kept === 0 || id !== ids[kept - 1]) ids[kept++] = id
    ids.length = kept
    this.runs.push(ids.join('\n'))
    this.pending = []
  }

  /** The length of the joined list, or more when runs share IDs (exact with a single run). */
  get lengthBound(): number {
    this.seal()
    return this.runs.reduce((n, r) => n + r.length, Math.max(0, this.runs.length - 1))
  }

  /** The list as `joinIds` joins it. */
  joined(): string {
    let out = ''
    for (const c of this.chunks()) out += c
    return out.slice(0, -1)
  }

  *[Symbol.iterator](): Iterator<string> {
    for (const c of this.chunks()) yield* c.slice(0, -1).split('\n')
  }

  /** The merged list in chunks of about `size` characters, each ending with a newline. */
  *chunks(size = 1 << 16): Generator<string> {
    this.seal()
    if (this.runs.length === 1) {
      const run = this.runs[0]!
      for (let at = 0; at < run.length; ) {
        const nl = run.indexOf('\n', at + size)
        const end = nl < 0 ? run.length : nl
        yield `${run.slice(at, end)}\n`
        at = end + 1
      }
      return
    }
    const heap = new RunHeap(this.runs)
    let parts: string[] = []
    let length = 0
    let last: string | undefined
    for (let line = heap.pop(); line !== undefined; line = heap.pop()) {
      if (line === last) continue
      last = line
      parts.push(line)
      length += line.length + 1
      if (length >= size) {
        parts.push('')
        yield parts.join('\n')
        parts = []
        length = 0
      }
    }
    if (parts.length > 0) {
      parts.push('')
      yield parts.join('\n')
    }
  }
}

/** The lines of several sorted runs, smallest first (a binary heap of one cursor per run). */
class RunHeap {
  private readonly lines: string[] = []
  private readonly runOf: number[] = []
  private readonly next: number[]

  constructor(private readonly runs: readonly string[]) {
    this.next = runs.map(() => 0)
    for (let r = 0; r < runs.length; r++) this.advance(r)
  }

  /** Pushes run `r`'s next line, if any. */
  private advance(r: number): void {
    const run = this.runs[r]!
    const at = this.next[r]!
    if (at > run.length) return
    const nl = run.indexOf('\n', at)
    const end = nl < 0 ? run.length : nl
    this.next[r] = end + 1
    let i = this.lines.length
    const line = run.slice(at, end)
    this.lines.push(line)
    this.runOf.push(r)
    while (i > 0) {
      const up = (i - 1) >> 1
      if (this.lines[up]! <= line) break
      this.swap(i, up)
      i = up
    }
  }

  pop(): string | undefined {
    const n = this.lines.length
    if (n === 0) return undefined
    const top = this.lines[0]!
    const r = this.runOf[0]!
    this.swap(0, n - 1)
    this.lines.pop()
    this.runOf.pop()
    for (let i = 0; ; ) {
      const l = 2 * i + 1
      if (l >= n - 1) break
      const c = l + 1 < n - 1 && this.lines[l + 1]! < this.lines[l]! ? l + 1 : l
      if (this.lines[i]! <= this.lines[c]!) break
      this.swap(i, c)
      i = c
    }
    this.advance(r)
    return top
  }

  private swap(a: number, b: number): void {
    const l = this.lines[a]!
    this.lines[a] = this.lines[b]!
    this.lines[b] = l
    const r = this.runOf[a]!
    this.runOf[a] = this.runOf[b]!
    this.runOf[b] = r
  }
}
