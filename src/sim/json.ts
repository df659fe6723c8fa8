/**
 * Mesos' JSON writer, reproduced: doubles always carry a fractional part (`1.0`), strings are not
 * UTF-8-validated (only `"`, `\` and bytes below 0x20 are escaped; bytes >= 0x80 pass raw), and
 * before 1.7 stout wrote doubles with `%#.*g` (15 digits) and escaped `/`.
 * The output is built as a latin1 "byte string" so raw bytes survive; `toBuffer` makes it wire bytes.
 */

/** A value that Mesos declares as a C++ double. */
export class Dbl {
  constructor(readonly v: number) {}
}
export const dbl = (v: number): Dbl => new Dbl(v)

/** Bytes to be placed raw in a JSON string (as `/files/read` does). */
export class RawBytes {
  constructor(readonly bytes: Buffer) {}
}

/**
 * An array rendered one element at a time as it is written: the lists that grow with the tasks.
 * `items` is a snapshot of references taken when the document is built; `nested` elements are
 * objects that hold Lazy lists themselves (a framework and its tasks).
 */
export class Lazy<T = unknown> {
  constructor(
    readonly items: readonly T[],
    readonly render: (x: T) => unknown,
    readonly nested = false,
  ) {}
}
export const lazy = <T>(items: readonly T[], render: (x: T) => unknown, nested = false): Lazy<T> =>
  new Lazy(items, render, nested)

export interface JsonStyle {
  /** stout before 1.7: `%#.*g`, `\/`, `\u007f`. */
  legacy: boolean
}

const PLAIN = /^[\x20-\x21\x23-\x2e\x30-\x5b\x5d-\x7e]*$/

function escapeBytes(bin: string, legacy: boolean): string {
  let out = '"'
  for (let i = 0; i < bin.length; i++) {
    const c = bin.charCodeAt(i)
    if (c === 0x22) out += '\\"'
    else if (c === 0x5c) out += '\\\\'
    else if (c === 0x2f) out += legacy ? '\\/' : '/'
    else if (c === 0x0a) out += '\\n'
    else if (c === 0x09) out += '\\t'
    else if (c === 0x0d) out += '\\r'
    else if (c === 0x08) out += '\\b'
    else if (c === 0x0c) out += '\\f'
    else if (c < 0x20 || (legacy && c === 0x7f)) out += '\\u00' + c.toString(16).padStart(2, '0')
    else out += bin[i]
  }
  return out + '"'
}

function str(s: string, legacy: boolean): string {
  if (PLAIN.test(s)) return '"' + s + '"'
  return escapeBytes(Buffer.from(s, 'utf8').toString('latin1'), legacy)
}

export function formatDouble(v: number, legacy: boolean): string {
  if (!Number.isFinite(v)) return '0.0'
  if (legacy) {
    let s = v.toPrecision(15)
    const e = s.indexOf('e')
    let mant = e >= 0 ? s.slice(0, e) : s
    const exp = e >= 0 ? s.slice(e) : ''
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '.0')
    s = mant + exp
    return s
  }
  const s = String(v)
  if (Number.isInteger(v) && !s.includes('e')) return s + '.0'
  return s
}

function write(v: unknown, style: JsonStyle): string {
  if (v === null || v === undefined) return 'null'
  switch (typeof v) {
    case 'string':
      return str(v, style.legacy)
    case 'number':
      return Number.isFinite(v) ? String(Math.trunc(v) === v ? v : Math.trunc(v)) : '0'
    case 'boolean':
      return v ? 'true' : 'false'
    case 'bigint':
      return v.toString()
    case 'object': {
      if (v instanceof Dbl) return formatDouble(v.v, style.legacy)
      if (v instanceof RawBytes) return escapeBytes(v.bytes.toString('latin1'), style.legacy)
      if (v instanceof Lazy) {
        const parts: string[] = []
        for (const x of v.items) parts.push(write(v.render(x), style))
        return '[' + parts.join(',') + ']'
      }
      if (Array.isArray(v)) {
        const parts: string[] = []
        for (const x of v) parts.push(write(x, style))
        return '[' + parts.join(',') + ']'
      }
      const parts: string[] = []
      for (const k of Object.keys(v as object)) {
        const x = (v as Record<string, unknown>)[k]
        if (x === undefined) continue
        parts.push(str(k, style.legacy) + ':' + write(x, style))
      }
      return '{' + parts.join(',') + '}'
    }
    default:
      return 'null'
  }
}

/** Serializes to a latin1 byte string (see the module comment). */
export function stringify(v: unknown, style: JsonStyle = { legacy: false }): string {
  return write(v, style)
}

/**
 * The wire bytes. For 1.7+ this goes through the native JSON.stringify (it escapes exactly what
 * RapidJSON escapes), with doubles and raw byte strings swapped in afterwards via NUL-led markers.
 */
export function toBuffer(v: unknown, style?: JsonStyle): Buffer {
  if (style?.legacy) return Buffer.from(stringify(v, style), 'latin1')
  const raws: Buffer[] = []
  const text = JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'string') {
      // a string that looks like a marker goes the raw way, so it cannot be mistaken for one
      return x.startsWith('\u0000\u0001') ? `\u0000\u0001R${raws.push(Buffer.from(x, 'utf8')) - 1}` : x
    }
    if (x instanceof Dbl) return `\u0000\u0001D${formatDouble(x.v, false)}`
    if (x instanceof RawBytes) return `\u0000\u0001R${raws.push(x.bytes) - 1}`
    if (x instanceof Lazy) return x.items.map((i) => x.render(i))
    return x
  }).replace(/"\\u0000\\u0001D([^"]*)"/g, '$1')
  if (raws.length === 0) return Buffer.from(text, 'utf8')
  const parts = text.split(/"\\u0000\\u0001R(\d+)"/)
  return Buffer.concat(
    parts.map((p, i) =>
      i % 2 === 0
        ? Buffer.from(p, 'utf8')
        : Buffer.from(escapeBytes((raws[Number(p)] as Buffer).toString('latin1'), false), 'latin1'),
    ),
  )
}

/** Compact JSON with keys sorted at every level, as stout's JSON::Object (a std::map) prints. */
export function sortedJson(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort)
    if (x && typeof x === 'object' && !(x instanceof Dbl)) {
      const o: Record<string, unknown> = {}
      for (const k of Object.keys(x).sort()) o[k] = sort((x as Record<string, unknown>)[k])
      return o
    }
    return x
  }
  return Buffer.from(stringify(sort(v)), 'latin1').toString('utf8')
}
