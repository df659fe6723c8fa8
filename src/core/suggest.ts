/** "Did you mean": the candidate nearest by edit distance, if it is near enough to be a typo. */

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = up
    }
  }
  return prev[b.length]!
}

/** Every candidate at the smallest distance, if it is near enough to be a typo (ties are all kept). */
export function nearest(word: string, candidates: readonly string[]): string[] {
  let best: string[] = []
  let bestD = Number.POSITIVE_INFINITY
  for (const c of new Set(candidates)) {
    const d = c.startsWith(word) ? 0.5 : editDistance(word, c)
    if (d < bestD) {
      best = [c]
      bestD = d
    } else if (d === bestD) best.push(c)
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best.sort() : []
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  return nearest(word, candidates)[0]
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"` */
export function orList(words: readonly string[]): string {
  const q = words.map((w) => `"${w}"`)
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} or ${q.at(-1)}`
}
