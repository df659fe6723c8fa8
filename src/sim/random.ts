/** Seeded randomness, so `--seed` reproduces IDs and scenario shapes. */

// one scratch buffer for every ID: a million tasks would otherwise make three Buffers each
const scratch = Buffer.alloc(36)
const HEX = Buffer.from('0123456789abcdef', 'latin1')

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
  /** `bytes(16)` in base64, as a status UUID is shown (one flat string, no Buffer kept). */
  base64Id(): string {
    for (let i = 0; i < 16; i++) scratch[i] = Math.floor(this.next() * 256)
    return scratch.toString('base64', 0, 16)
  }
  uuid(): string {
    let o = 0
    for (let i = 0; i < 16; i++) {
      let x = Math.floor(this.next() * 256)
      if (i === 6) x = (x & 0x0f) | 0x40
      else if (i === 8) x = (x & 0x3f) | 0x80
      if (i === 4 || i === 6 || i === 8 || i === 10) scratch[o++] = 0x2d
      scratch[o++] = HEX[x >> 4]!
      scratch[o++] = HEX[x & 15]!
    }
    // one flat string: slices joined by a template stay a tree of strings (~300 bytes more each)
    return scratch.toString('latin1', 0, 36)
  }
}
