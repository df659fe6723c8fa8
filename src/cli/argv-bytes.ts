/**
 * An argument's bytes as the shell gave them. Node decodes argv as UTF-8 and turns every byte that
 * is not part of a UTF-8 character (`$'\xff'`, a Latin-1 `é` typed in an old terminal) into U+FFFD,
 * so `grep $'\xe9t\xe9'` would look for U+FFFD's bytes. On Linux /proc/self/cmdline still holds
 * the bytes: a value with U+FFFD in it is looked up there.
 */
import { readFileSync } from 'node:fs'

let cached: Buffer[] | null | undefined

/** This process's arguments as bytes, or null where there is no /proc. */
function cmdline(): Buffer[] | null {
  if (cached !== undefined) return cached
  try {
    const all = readFileSync('/proc/self/cmdline')
    const parts: Buffer[] = []
    let start = 0
    for (let i = 0; i < all.length; i++) {
      if (all[i] === 0) {
        parts.push(all.subarray(start, i))
        start = i + 1
      }
    }
    cached = parts
  } catch {
    cached = null
  }
  return cached
}

/** The bytes after a flag's name (`--regexp=`, `-e`) whose decoding is `value`, or undefined. */
function valueBytes(arg: Buffer, value: string): Buffer | undefined {
  const decoded = arg.toString('utf8')
  if (!decoded.endsWith(value)) return undefined
  const prefix = decoded.slice(0, decoded.length - value.length)
  if (prefix.includes('\uFFFD')) return undefined
  const bytes = arg.subarray(Buffer.byteLength(prefix, 'utf8'))
  return bytes.toString('utf8') === value ? bytes : undefined
}

/**
 * `values` (arguments or flag values, in the order they were given) as they were typed: a value
 * that was not valid UTF-8 becomes its bytes, any other stays as it is. `source`: the process's
 * arguments as bytes (tests pass their own).
 */
export function argBytes(values: readonly string[], source: () => Buffer[] | null = cmdline): Array<string | Buffer> {
  if (!values.some((v) => v.includes('\uFFFD'))) return [...values]
  const raw = source()
  let next = 0
  return values.map((value) => {
    if (!value.includes('\uFFFD') || !raw) return value
    for (let i = next; i < raw.length; i++) {
      const bytes = valueBytes(raw[i]!, value)
      if (bytes === undefined) continue
      next = i + 1
      // a value that really holds U+FFFD is its own UTF-8
      return bytes.equals(Buffer.from(value, 'utf8')) ? value : bytes
    }
    return value
  })
}
