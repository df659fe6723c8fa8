/**
 * The first `k` items in `cmp` order, ties kept in the order given: what a stable sort then
 * `slice(0, k)` answers, in one pass with a heap of `k` for a small `k`. `/master/tasks` pages 100
 * of 1,000,000 tasks; sorting them all took seconds a request.
 */
const HEAP_UP_TO = 4096

export function firstInOrder<T>(items: Iterable<T>, k: number, cmp: (a: T, b: T) => number): T[] {
  if (k <= 0) return []
  if (k > HEAP_UP_TO) return [...items].sort(cmp).slice(0, k)
  const xs: T[] = []
  const at: number[] = []
  // the root is the last of the kept items, the one a better newcomer replaces
  const after = (ax: T, ai: number, bx: T, bi: number): boolean => {
    const c = cmp(ax, bx)
    return c > 0 || (c === 0 && ai > bi)
  }
  const swap = (a: number, b: number): void => {
    ;[xs[a], xs[b]] = [xs[b]!, xs[a]!]
    ;[at[a], at[b]] = [at[b]!, at[a]!]
  }
  const later = (a: number, b: number): boolean => after(xs[a]!, at[a]!, xs[b]!, at[b]!)
  let i = 0
  for (const x of items) {
    if (xs.length < k) {
      xs.push(x)
      at.push(i)
      for (let j = xs.length - 1; j > 0 && later(j, (j - 1) >> 1); j = (j - 1) >> 1) swap(j, (j - 1) >> 1)
    } else if (after(xs[0]!, at[0]!, x, i)) {
      xs[0] = x
      at[0] = i
      for (let j = 0; ; ) {
        const l = 2 * j + 1
        let m = j
        if (l < k && later(l, m)) m = l
        if (l + 1 < k && later(l + 1, m)) m = l + 1
        if (m === j) break
        swap(j, m)
        j = m
      }
    }
    i++
  }
  const order = xs.map((_, j) => j).sort((a, b) => cmp(xs[a]!, xs[b]!) || at[a]! - at[b]!)
  return order.map((j) => xs[j]!)
}
