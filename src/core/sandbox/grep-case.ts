/**
 * --ignore-case for a pattern with non-ASCII characters. Lines are matched as ISO-8859-1 text, and
 * JavaScript's `i` flag would then fold bytes as Latin-1 letters: the UTF-8 lead byte of `Ä` (0xC3)
 * with that of a CJK character (0xE3), while `Ä` (C3 84) and `ä` (C3 A4), which differ in their
 * second byte, would never meet. So such a pattern is folded here instead, without the flag, as
 * grep does in a UTF-8 locale: an ASCII letter becomes both its cases, and a non-ASCII character
 * the alternatives of its case variants (each later turned into its UTF-8 bytes). Bracket
 * expressions get the other case of their ASCII letters and, unless negated, their lone non-ASCII
 * members as alternatives; a negated class or a range of non-ASCII characters stays bytes.
 */

/** Escapes that stand for something else than their letter, with how many characters follow them. */
const ESCAPE_TAILS: Record<string, RegExp> = {
  x: /^[0-9A-Fa-f]{2}/,
  u: /^(?:[0-9A-Fa-f]{4}|\{[0-9A-Fa-f]+\})/,
  c: /^[A-Za-z]/,
  p: /^\{[^}]*\}/,
  P: /^\{[^}]*\}/,
  k: /^<[^>]*>/,
}
const CLASS_ESCAPES = 'dDwWsSbBnrtfv0123456789'

const isLower = (c: string) => c >= 'a' && c <= 'z'
const isUpper = (c: string) => c >= 'A' && c <= 'Z'
const swap = (c: string) => (isLower(c) ? c.toUpperCase() : isUpper(c) ? c.toLowerCase() : c)

/** A character's case variants of one code point each (`ß` has no one-character upper case). */
export function caseVariants(c: string): string[] {
  const out = new Set([c])
  for (const v of [c.toLowerCase(), c.toUpperCase(), c.toUpperCase().toLowerCase(), c.toLowerCase().toUpperCase()]) {
    if ([...v].length === 1) out.add(v)
  }
  return [...out]
}

/** Whether folding must be done here rather than with the `i` flag. */
export const needsOwnFolding = (js: string): boolean => /[^\x00-\x7f]/.test(js)

/** A JavaScript regex source (Unicode, before the UTF-8 bytes) that matches regardless of case, without the `i` flag. */
export function foldCase(js: string): string {
  let out = ''
  let i = 0
  const escape = (): string => {
    const n = js[i + 1] ?? ''
    const tail = ESCAPE_TAILS[n]?.exec(js.slice(i + 2))?.[0] ?? ''
    i += 2 + tail.length
    if (tail !== '' || CLASS_ESCAPES.includes(n) || !/[A-Za-z]/.test(n)) return `\\${n}${tail}`
    return n // an escaped plain letter is the letter
  }
  while (i < js.length) {
    const c = js[i]!
    if (c === '\\') {
      const e = escape()
      out += e.length === 1 ? (swap(e) === e ? e : `[${e}${swap(e)}]`) : e
    } else if (c === '[') {
      out += foldClass()
    } else if (c.charCodeAt(0) > 0x7f) {
      const ch = String.fromCodePoint(js.codePointAt(i)!)
      const vs = caseVariants(ch)
      out += vs.length === 1 ? ch : `(?:${vs.join('|')})`
      i += ch.length
    } else {
      out += swap(c) === c ? c : `[${c}${swap(c)}]`
      i++
    }
  }
  return out

  /** Whether a range's `-` is at j (not a literal `-` before the `]`). */
  function rangeAt(j: number): boolean {
    return js[j] === '-' && js[j + 1] !== undefined && js[j + 1] !== ']'
  }

  /**
   * A class from `[` at i: its members plus the other case of every ASCII letter in it; a class
   * that is not negated takes its lone non-ASCII members out as alternatives of whole characters.
   */
  function foldClass(): string {
    let body = ''
    let extra = ''
    const wide: string[] = []
    i++
    const negated = js[i] === '^'
    if (negated) i++
    while (i < js.length && js[i] !== ']') {
      let lo: string
      const ch = String.fromCodePoint(js.codePointAt(i)!)
      if (!negated && ch.charCodeAt(0) > 0x7f && !rangeAt(i + ch.length)) {
        for (const v of caseVariants(ch)) if (!wide.includes(v)) wide.push(v)
        i += ch.length
        continue
      }
      if (js[i] === '\\') {
        const e = escape()
        body += e.length === 1 ? `\\${e}` : e
        if (e.length !== 1) continue
        lo = e
      } else {
        lo = js[i]!
        body += lo
        i++
      }
      if (rangeAt(i)) {
        const hi = js[i + 1] === '\\' ? (js[i + 2] ?? '') : js[i + 1]!
        body += js.slice(i, i + (js[i + 1] === '\\' ? 3 : 2))
        i += js[i + 1] === '\\' ? 3 : 2
        extra += swappedRange(lo, hi)
      } else if (swap(lo) !== lo) extra += swap(lo)
    }
    i++ // the ]
    // the other cases first: after a trailing literal `-` they would make a range
    const cls = `[${negated ? '^' : ''}${extra}${body}]`
    return wide.length === 0 ? cls : `(?:${cls}|${wide.join('|')})`
  }
}

/** The other case of the ASCII letters in the range lo-hi, as ranges. */
function swappedRange(lo: string, hi: string): string {
  let out = ''
  for (const [a, z] of [
    ['a', 'z'],
    ['A', 'Z'],
  ] as const) {
    const from = lo > a ? lo : a
    const to = hi < z ? hi : z
    if (from <= to) out += `${swap(from)}-${swap(to)}`
  }
  return out
}
