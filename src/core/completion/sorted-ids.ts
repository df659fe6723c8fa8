/**
 * Sorted, unique, usable IDs gathered one at a time (a scan of a million tasks) in memory
 * proportional to their text, not to their count: every RUN_IDS IDs are sorted, deduplicated and
 * joined into one string (a sorted run), and the runs are merged as the list is written out.
 * A scan hands IDs over as the bytes it read (`addBytes`): they are copied into one buffer and
 * made into strings a batch at a time (one decode and one split), never one string per ID as they
 * come. Each batch is sorted as it fills (while the scan waits for the network), so that sealing
 * a run is one merge of sorted batches (the sort finds them as runs of its own) and one join.
 */

/**
 * IDs a run holds before it is sealed: a run's strings are the only per-ID objects alive (about
 * 10 MB at this size). Most clusters fit in one run, which is written out as it is; more runs
 * are merged.
 */
const RUN_IDS = 1 << 18
/** IDs sorted together as they come, before a run merges the batches. */
const BATCH_IDS = 1 << 14

/** What `joinIds` (ids.ts) makes of the same IDs, yielded in chunks of whole lines. */
export class SortedIds implements Iterable<string> {
  private pending: string[] = []
  /** IDs given as UTF-8 bytes, each followed by a newline; `byteIds` of them. */
  private bytes = new Uint8Array(0)
  private byteLength = 0
  private byteIds = 0
  /** Sorted batches of the run being gathered, and how many IDs they hold. */
  private batches: string[][] = []
  private batched = 0
  private readonly runs: string[] = []
  private readonly batchIds: number

  constructor(private readonly runIds = RUN_IDS) {
    this.batchIds = Math.min(BATCH_IDS, runIds)
  }

  static of(ids: Iterable<string>, runIds?: number): SortedIds {
    const out = new SortedIds(runIds)
    for (const id of ids) out.add(id)
    return out
  }

  add(id: string): void {
    if (id === '' || id.includes('\n')) return
    this.pending.push(id)
    if (this.pending.length + this.byteIds >= this.batchIds) this.batch()
  }

  /**
   * Adds the ID whose UTF-8 bytes are `buf[start, end)`, as `add` would add their decoding; bytes
   * below 0x20 are not allowed (a JSON string holds none raw), so the newline rule needs no check.
   */
  addBytes(buf: Uint8Array, start: number, end: number): void {
    const n = end - start
    if (n <= 0) return
    let at = this.byteLength
    if (at + n + 1 > this.bytes.length) {
      const grown = new Uint8Array(Math.max(64 * 1024, 2 * (at + n + 1)))
      grown.set(this.bytes.subarray(0, at))
      this.bytes = grown
    }
    const to = this.bytes
    for (let i = start; i < end; i++) to[at++] = buf[i]!
    to[at++] = 0x0a
    this.byteLength = at
    if (++this.byteIds + this.pending.length >= this.batchIds) this.batch()
  }

  /** Sorts the IDs added since the last batch; seals the run when it is full. */
  private batch(): void {
    this.sortAdded()
    if (this.batched >= this.runIds) this.seal()
  }

  private sortAdded(): void {
    let ids = this.pending
    this.pending = []
    if (this.byteIds > 0) {
      const text = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.byteLength - 1).toString('utf8')
      ids = ids.length === 0 ? text.split('\n') : ids.concat(text.split('\n'))
      this.byteLength = 0
      this.byteIds = 0
    }
    if (ids.length > 0) {
      this.batches.push(ids.sort())
      this.batched += ids.length
    }
  }

  private seal(): void {
    this.sortAdded()
    if (this.batched === 0) return
    // sorted batches one after another: the sort merges them as the runs it finds (concat, not
    // flat: several times faster on a hundred thousand strings)
    const ids = this.batches.length === 1 ? this.batches[0]! : ([] as string[]).concat(...this.batches).sort()
    this.batches = []
    this.batched = 0
    let kept = 1
    while (kept < ids.length && ids[kept] !== ids[kept - 1]) kept++
    for (let i = kept; i < ids.length; i++) if (ids[i] !== ids[kept - 1]) ids[kept++] = ids[i]!
    ids.length = kept
    this.runs.push(ids.join('\n'))
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
