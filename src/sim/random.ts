/** Seeded randomness, so `--seed` reproduces IDs and scenario shapes. */
export class Random {
  private s: number
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9
  }
  /** mulberry32 */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0
    let t = this.s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)] as T
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n)
    for (let i = 0; i < n; i++) b[i] = Math.floor(this.next() * 256)
    return b
  }
  uuid(): string {
    const b = this.bytes(16)
    b[6] = ((b[6] as number) & 0x0f) | 0x40
    b[8] = ((b[8] as number) & 0x3f) | 0x80
    // one flat string: slices joined by a template stay a tree of strings (~300 bytes more each)
    const h = Buffer.from(b.toString('hex'), 'latin1')
    const out = Buffer.alloc(36, 0x2d)
    h.copy(out, 0, 0, 8)
    h.copy(out, 9, 8, 12)
    h.copy(out, 14, 12, 16)
    h.copy(out, 19, 16, 20)
    h.copy(out, 24, 20, 32)
    return out.toString('latin1')
  }
}
