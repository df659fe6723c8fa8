/**
 * `JSON.stringify(value)` in pieces of about `size` characters: long arrays inside plain objects
 * are written an element at a time, so a task index of 100,000 tasks is never one string (nor one
 * Buffer of it) in memory. The pieces joined are exactly `JSON.stringify(value)` for values made
 * of plain objects, arrays and JSON scalars.
 */

/** Arrays shorter than this are stringified whole. */
const WHOLE_BELOW = 256

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype && typeof (v as { toJSON?: unknown }).toJSON !== 'function'

export function* jsonPieces(value: unknown, size = 64 * 1024, depth = 4): Generator<string> {
  let batch = ''
  const take = (): string => {
    const out = batch
    batch = ''
    return out
  }
  function* emit(s: string): Generator<string> {
    batch += s
    if (batch.length >= size) yield take()
  }
  function* walk(v: unknown, left: number): Generator<string> {
    if (left > 0 && Array.isArray(v) && v.length >= WHOLE_BELOW) {
      yield* emit('[')
      for (let i = 0; i < v.length; i++) {
        if (i > 0) yield* emit(',')
        // as inside an array, undefined and functions are null
        yield* walk(v[i] === undefined || typeof v[i] === 'function' ? null : v[i], left - 1)
      }
      yield* emit(']')
    } else if (left > 0 && isPlain(v)) {
      let sep = '{'
      for (const k of Object.keys(v)) {
        const x = v[k]
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue
        yield* emit(`${sep}${JSON.stringify(k)}:`)
        sep = ','
        yield* walk(x, left - 1)
      }
      yield* emit(sep === '{' ? '{}' : '}')
    } else yield* emit(JSON.stringify(v) ?? 'null')
  }
  yield* walk(value, depth)
  if (batch !== '') yield take()
}
