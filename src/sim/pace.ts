/** libprocess' RateLimiter as used by /metrics/snapshot and /monitor/statistics: excess requests wait. */
export class Pacer {
  private next = 0
  constructor(private readonly perSecond: number) {}

  async wait(): Promise<void> {
    const now = Date.now()
    const at = Math.max(now, this.next)
    this.next = at + 1000 / this.perSecond
    if (at > now) await new Promise((r) => setTimeout(r, at - now))
  }
}
