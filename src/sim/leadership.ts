/**
 * Which master leads, as events: the election (or a static failover) sets it, and whoever waits
 * for a leader, or for a different one, is woken by the change instead of polling.
 */
import { EventEmitter } from 'node:events'

export class Leadership extends EventEmitter<{ change: [index: number | undefined, previous: number | undefined] }> {
  private index: number | undefined

  get current(): number | undefined {
    return this.index
  }

  set(index: number | undefined): void {
    const previous = this.index
    if (previous === index) return
    this.index = index
    this.emit('change', index, previous)
  }

  /** Resolves with the leader once `ok` holds for it (at once if it already does); rejects after `timeoutMs`. */
  until(ok: (index: number) => boolean, timeoutMs: number): Promise<number> {
    if (this.index !== undefined && ok(this.index)) return Promise.resolve(this.index)
    return this.next(ok, timeoutMs)
  }

  /** Resolves with the next leader elected for which `ok` holds (a change still to come). */
  next(ok: (index: number) => boolean, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onChange = (index: number | undefined) => {
        if (index === undefined || !ok(index)) return
        clearTimeout(timer)
        this.off('change', onChange)
        resolve(index)
      }
      const timer = setTimeout(() => {
        this.off('change', onChange)
        reject(new Error('no leader elected'))
      }, timeoutMs)
      timer.unref()
      this.on('change', onChange)
    })
  }
}
