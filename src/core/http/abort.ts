/**
 * Cancelling in-flight requests when a signal fires, with one listener per signal however many
 * requests wait on it: handing the run's signal to each of a hundred agent requests would pile a
 * hundred listeners on it (node's MaxListenersExceededWarning).
 */
type Cancel = (reason: unknown) => void

const waiting = new WeakMap<AbortSignal, Set<Cancel>>()

/** Calls `cancel` when any of `signals` aborts; returns the function that unlinks it. */
export function onAbort(signals: readonly (AbortSignal | undefined)[], cancel: Cancel): () => void {
  const linked: AbortSignal[] = []
  for (const signal of signals) {
    if (!signal) continue
    if (signal.aborted) {
      cancel(signal.reason)
      break
    }
    let set = waiting.get(signal)
    if (!set) {
      const fresh = new Set<Cancel>()
      set = fresh
      waiting.set(signal, fresh)
      signal.addEventListener(
        'abort',
        () => {
          waiting.delete(signal)
          for (const fn of [...fresh]) fn(signal.reason)
        },
        { once: true },
      )
    }
    set.add(cancel)
    linked.push(signal)
  }
  return () => {
    for (const s of linked) waiting.get(s)?.delete(cancel)
  }
}

/** The error a cancelled request rejects with (callers recognise it by its name). */
export function abortError(reason: unknown): Error {
  if (reason instanceof Error && reason.name === 'AbortError') return reason
  return Object.assign(new Error('The operation was aborted', { cause: reason }), { name: 'AbortError', code: 'ABORT_ERR' })
}
