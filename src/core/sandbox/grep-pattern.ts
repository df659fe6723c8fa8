/**
 * grep's patterns over bytes. Lines are matched as ISO-8859-1 text (one character per byte), so any
 * line, valid UTF-8 or not, is matched and printed exactly; a pattern's non-ASCII characters become
 * their UTF-8 bytes (as `LC_ALL=C grep` sees them); with --ignore-case they match in any case, as in
 * a UTF-8 locale (grep-case.ts). Basic (default) and extended (-E) POSIX
 * syntax are translated to JavaScript's; -F is a fixed string.
 *
 * Speed: a block of many lines is searched at once with a multi-line twin of the pattern, and only
 * the lines where it hits are checked with the exact one-line pattern. The twin matches wherever
 * the line pattern does (and maybe more), so no line is missed. The only lookarounds are the ones
 * made here (\<, \>, -w), each looking at one character for a word character: at a line's edge, in a
 * block, that is a newline, as good as the line's end. A plain string, or a regex with a run of characters every
 * match must contain, is looked for as bytes in the buffer (no decoding at all); only the lines
 * holding it are decoded and tested.
 */
import { usageError } from '../errors.js'
import { foldCase, needsOwnFolding } from './grep-case.js'

export interface PatternOptions {
  /** One pattern, or several (-e repeated): a line is selected when any of them matches. */
  /** A Buffer: bytes that are not UTF-8, as typed (argv-bytes.ts). */
  pattern: string | Buffer | readonly (string | Buffer)[]
  fixed: boolean
  extended: boolean
  ignoreCase: boolean
  /** -w: the match must be a whole word (no word character, [0-9A-Za-z_], on either side). */
  word?: boolean
  /** -x: the match must be the whole line. */
  line?: boolean
}

export interface Matcher {
  /** Tests one line (without its newline), as latin1 text. */
  line: RegExp
  /** The block search; undefined when only line-by-line testing is exact. */
  block?: RegExp
  /** The pattern's bytes when it is a plain string (case kept): searched in the buffer itself. */
  literal?: Buffer
  /** Every match in a line (-o), global. */
  all: RegExp
  /**
   * For -o, where JavaScript and POSIX can disagree (an alternation: `ab|abc` takes `ab` first,
   * grep the longest): where the longest match at `at` ends, given one found ending at `end`.
   * Without it the match as found is the longest.
   */
  longest?: (line: string, at: number, end: number) => number
  /**
   * Bytes every match contains (a regex without alternatives or groups, case kept): the bytes are
   * searched in the buffer and only the lines holding them are decoded and tested.
   */
  required?: Buffer
}

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: '0-9a-zA-Z',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f\\x7f',
  print: ' -~',
  graph: '!-~',
  word: '0-9a-zA-Z_',
}

/** The most a POSIX interval may count (RE_DUP_MAX). */
const DUP_MAX = 0x7fff

/** Why a pattern is not one: grep's words for it (glibc's regcomp messages), lowercased. */
class BadPattern extends Error {}

const bad = (reason: string): never => {
  throw new BadPattern(reason)
}

/** A character that stands for itself in JavaScript's syntax, outside a bracket expression. */
const literal = (c: string) => (/[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c)
/** The same inside one. */
const classLiteral = (c: string) => (/[\\\][^-]/.test(c) ? `\\${c}` : c)

/** \< and \>: the edges of a word, each seen from its inside (block-safe: a newline is no word character). */
const WORD_START = '\\b(?=[0-9A-Za-z_])'
const WORD_END = '\\b(?<=[0-9A-Za-z_])'
/** \s and \S in the C locale: JavaScript's \s would also take 0xA0, a UTF-8 continuation byte. */
const SPACE = '[ \\t\\n\\v\\f\\r]'
const NOT_SPACE = '[^ \\t\\n\\v\\f\\r]'

/** A bracket expression from `[` at `i`: its JavaScript form and the index after its `]`. */
function bracket(p: string, i: number): [string, number] {
  let j = i + 1
  let out = '['
  if (p[j] === '^') {
    out += '^'
    j++
  }
  const body = j
  // [:space:] where [[:space:]] was meant: grep refuses it
  if (p[j] === ':') {
    const close = p.indexOf(']', j + 1)
    if (close > j + 1 && p[close - 1] === ':') bad(`character class syntax is [[:space:]], not [:space:]`)
  }
  /** One element at j: a character's code (a collating element counts) or a class; j moves past it. */
  const element = (): { code: number; c: string } | { cls: string } => {
    if (j >= p.length) bad('unmatched [, [^, [:, [., or [=')
    // a whole character, not half of a surrogate pair
    const c = String.fromCodePoint(p.codePointAt(j)!)
    const kind = p[j + 1]
    if (c === '[' && (kind === ':' || kind === '.' || kind === '=')) {
      const end = p.indexOf(`${kind}]`, j + 2)
      if (end < 0) bad('unmatched [, [^, [:, [., or [=')
      const name = p.slice(j + 2, end)
      j = end + 2
      if (kind === ':') return { cls: CLASSES[name] ?? bad('invalid character class name') }
      if ([...name].length !== 1) bad('invalid collation character')
      return { code: name.codePointAt(0)!, c: name }
    }
    j += c.length
    return { code: c.codePointAt(0)!, c }
  }
  for (;;) {
    if (j >= p.length) bad('unmatched [, [^, [:, [., or [=')
    if (p[j] === ']' && j > body) return [`${out}]`, j + 1]
    const lo = element()
    const range = p[j] === '-' && j + 1 < p.length && p[j + 1] !== ']'
    if ('cls' in lo) {
      if (range) bad('invalid range end')
      out += lo.cls
      continue
    }
    if (!range) {
      out += classLiteral(lo.c)
      continue
    }
    j++
    const hi = element()
    if ('cls' in hi || hi.code < lo.code) bad('invalid range end')
    out += `${classLiteral(lo.c)}-${classLiteral((hi as { c: string }).c)}`
  }
}

/** `{m}`, `{m,}`, `{m,n}` or `{,n}` as a JavaScript quantifier; `text` is what is between the braces. */
function interval(text: string): string | undefined {
  if (text === '') bad('invalid content of \\{\\}')
  const m = /^(\d*)(,(\d*))?$/.exec(text)
  if (!m) return undefined
  const min = m[1] === '' ? 0 : Number(m[1])
  const max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3])
  if (max !== undefined && max < min) bad('invalid content of \\{\\}')
  if (min > DUP_MAX || (max ?? 0) > DUP_MAX) bad('regular expression too big')
  return max === min ? `{${min}}` : `{${min},${max ?? ''}}`
}

/**
 * POSIX basic or extended syntax, as GNU grep reads it, as a JavaScript source: GNU's \w \W \s
 * \S \b \B \< \> \` \' and back-references; any other escaped character stands for itself.
 * Repeated quantifiers apply in turn (`a**`, `a{1,2}{3}`), `{,n}` counts from 0, an unmatched `)`
 * of -E and a `{` that starts no interval are literal. In basic syntax a `*` with nothing before
 * it is literal (so it is after an anchor or after only assertions), and so are `^` and `$` away
 * from the edges; in extended syntax a `*`, `+`, `?` or interval with nothing before it repeats
 * nothing. `groupBase`: capturing groups before this pattern (several patterns are joined into
 * one expression), so back-references are renumbered.
 */
function translate(p: string, extended: boolean, groupBase = 0): { js: string; groups: number } {
  let out = ''
  /** where the last atom starts in `out` (-1: none to repeat), whether it is repeated, whether it is an assertion */
  let atom = -1
  let repeated = false
  let assertion = false
  /** whether the current alternative holds more than assertions: in basic syntax a `*` after only those is literal */
  let begun = false
  const open: Array<{ at: number; n: number }> = []
  const closed = new Set<number>()
  let groups = 0
  const put = (js: string, isAssertion = false) => {
    atom = out.length
    out += js
    repeated = false
    assertion = isAssertion
    begun ||= !isAssertion
  }
  const none = () => {
    atom = -1
    repeated = false
    begun = false
  }
  const repeat = (q: string) => {
    if (repeated || assertion) out = `${out.slice(0, atom)}(?:${out.slice(atom)})`
    out += q
    repeated = true
    assertion = false
  }
  const openGroup = () => {
    groups++
    open.push({ at: out.length, n: groups })
    out += '('
    none()
  }
  const closeGroup = () => {
    const g = open.pop()!
    closed.add(g.n)
    out += ')'
    atom = g.at
    repeated = false
    assertion = false
    begun = true
  }
  const alternative = () => {
    out += '|'
    none()
  }
  /** In basic syntax: whether a `*`, `\+`, `\?` or `\{` here repeats what is before it (or stands for itself). */
  const basicRepeats = () => atom >= 0 && (begun || !assertion)
  /** In basic syntax: where `^` anchors (the start of the pattern, of a group or of an alternative). */
  const atStart = (i: number) => i === 0 || p.startsWith('\\(', i - 2) || p.startsWith('\\|', i - 2)
  /** ... and where `$` does (the end of the pattern, of a group or of an alternative). */
  const atEnd = (i: number) => i === p.length - 1 || p.startsWith('\\)', i + 1) || p.startsWith('\\|', i + 1)

  for (let i = 0; i < p.length; ) {
    const c = p[i]!
    if (c === '\\') {
      const n = p[i + 1]
      if (n === undefined) bad('trailing backslash')
      i += 2
      if (!extended && n === '(') openGroup()
      else if (!extended && n === ')') {
        if (open.length === 0) bad('unmatched ) or \\)')
        closeGroup()
      } else if (!extended && n === '|') alternative()
      else if (!extended && (n === '+' || n === '?')) {
        if (!basicRepeats()) put(literal(n!))
        else repeat(n!)
      } else if (!extended && n === '{') {
        const close = p.indexOf('\\}', i)
        if (!basicRepeats()) put('\\{')
        else if (close < 0) bad('unmatched \\{')
        else {
          const q = interval(p.slice(i, close)) ?? bad('invalid content of \\{\\}')
          repeat(q)
          i = close + 2
        }
      } else if (n! >= '1' && n! <= '9') {
        if (!closed.has(Number(n))) bad('invalid back reference')
        put(`\\${Number(n) + groupBase}`)
      } else if (n === 'w' || n === 'W' || n === 'b' || n === 'B') put(`\\${n}`, n === 'b' || n === 'B')
      else if (n === 's') put(SPACE)
      else if (n === 'S') put(NOT_SPACE)
      else if (n === '<') put(WORD_START, true)
      else if (n === '>') put(WORD_END, true)
      else if (n === '`') put('^', true)
      else if (n === "'") put('$', true)
      else put(literal(n!))
    } else if (c === '[') {
      const [cls, next] = bracket(p, i)
      put(cls)
      i = next
    } else if (c === '.') {
      put('.')
      i++
    } else if (c === '*' || (extended && (c === '+' || c === '?'))) {
      // nothing to repeat: literal in basic syntax, nothing at all in extended
      if (extended ? atom >= 0 : basicRepeats()) repeat(c)
      else if (!extended) put('\\*')
      else {
        put('(?:)')
        repeat(c)
      }
      i++
    } else if (extended && c === '{') {
      const close = p.indexOf('}', i)
      const text = close > 0 ? p.slice(i + 1, close) : undefined
      // `{}` after an atom is an error; first, or after an assertion, a literal
      const q = text !== undefined && (text !== '' || (atom >= 0 && !assertion)) ? interval(text) : undefined
      if (q === undefined) {
        put('\\{')
        i++
      } else {
        // like * with nothing before it, an interval repeats nothing
        if (atom < 0) put('(?:)')
        repeat(q)
        i = close + 1
      }
    } else if (extended && c === '(') {
      openGroup()
      i++
    } else if (extended && c === ')' && open.length > 0) {
      closeGroup()
      i++
    } else if (extended && c === '|') {
      alternative()
      i++
    } else if (c === '^' && (extended || atStart(i))) {
      if (extended) put('^', true)
      else out += '^' // in basic syntax a `*` after the anchor is literal: nothing to repeat yet
      i++
    } else if (c === '$' && (extended || atEnd(i))) {
      put('$', true)
      i++
    } else {
      const ch = String.fromCodePoint(p.codePointAt(i)!)
      put(literal(ch))
      i += ch.length
    }
  }
  if (open.length > 0) bad('unmatched ( or \\(')
  return { js: out, groups }
}

/** `translate`, with a bad pattern as the usage error naming it (`shown`: the pattern as typed). */
function translated(p: string, extended: boolean, groupBase = 0, shown = p): { js: string; groups: number } {
  try {
    return translate(p, extended, groupBase)
  } catch (err) {
    if (err instanceof BadPattern) throw usageError(`invalid pattern "${shown}": ${err.message}`)
    throw err
  }
}

/** POSIX basic or extended syntax as a JavaScript source (see `translate`); a bad pattern is a usage error. */
export function posixToJs(p: string, extended: boolean): string {
  return translated(p, extended).js
}

const escapeRegex = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')

/** Non-ASCII characters as their UTF-8 bytes, one latin1 character each. */
export function utf8AsLatin1(s: string): string {
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s
}

const WORD_CHAR = '[0-9A-Za-z_]'
/** Escapes that stand for a class, an assertion or a code: not the character itself. */
const SPECIAL_ESCAPES = 'dDwWsSbBnrtfv0123456789xucpPk'

/**
 * The longest run of characters that every match of the JavaScript source `js` contains, or
 * undefined. Conservative: any alternative or group gives up, and a quantified character ends the run
 * without being part of it.
 */
export function requiredLiteral(js: string): string | undefined {
  const runs: string[] = []
  let run = ''
  const end = () => {
    if (run !== '') runs.push(run)
    run = ''
  }
  for (let i = 0; i < js.length; ) {
    const c = js[i]!
    const edge = [WORD_START, WORD_END].find((w) => js.startsWith(w, i))
    if (edge !== undefined) {
      end()
      i += edge.length
      continue
    }
    if (c === '|' || c === '(' || c === ')') return undefined
    if (c === '\\') {
      const n = js[i + 1] ?? ''
      if (SPECIAL_ESCAPES.includes(n)) end()
      else run += n
      i += 2
    } else if (c === '[') {
      let j = i + 1
      while (j < js.length && js[j] !== ']') j += js[j] === '\\' ? 2 : 1
      end()
      i = j + 1
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(js.slice(i)))) {
      // the quantified character may be absent or repeated: the run ends before it
      run = run.slice(0, -1)
      end()
      i = c === '{' ? js.indexOf('}', i) + 1 : i + 1
    } else if (c === '.' || c === '^' || c === '$') {
      end()
      i++
    } else {
      run += c
      i++
    }
  }
  end()
  return runs.reduce<string | undefined>((best, r) => (r.length > (best?.length ?? 0) ? r : best), undefined)
}

export function compilePattern(o: PatternOptions): Matcher {
  // as in grep, a pattern holding newlines is several patterns; a Buffer is bytes that are not
  // UTF-8 (argv-bytes.ts), kept one latin1 character per byte from here on
  const given = typeof o.pattern === 'string' || Buffer.isBuffer(o.pattern) ? [o.pattern] : o.pattern
  const patterns = given.flatMap((p) =>
    typeof p === 'string' ? p.split('\n').map((text) => ({ text, bytes: false })) : p.toString('latin1').split('\n').map((text) => ({ text, bytes: true })),
  )
  const shown = (p: { text: string; bytes: boolean }) => (p.bytes ? Buffer.from(p.text, 'latin1').toString('utf8') : p.text)
  let groups = 0
  const sources = patterns.map((p) => {
    if (o.fixed) return escapeRegex(p.text)
    const t = translated(p.text, o.extended, groups, shown(p))
    groups += t.groups
    return t.js
  })
  const anyBytes = patterns.some((p) => p.bytes)
  // the i flag would fold UTF-8 bytes as Latin-1 letters: a non-ASCII pattern folds its own case
  // (a pattern of bytes that are not UTF-8 is Latin-1 or the like: there the i flag is right)
  const ownFolding = o.ignoreCase && !anyBytes && sources.some(needsOwnFolding)
  const parts = sources.map((js, i) => (patterns[i]!.bytes ? js : utf8AsLatin1(ownFolding ? foldCase(js) : js)))
  let js = parts.length === 1 ? parts[0]! : parts.map((p) => `(?:${p})`).join('|')
  if (o.line) js = `^(?:${js})$`
  else if (o.word) js = `(?<!${WORD_CHAR})(?:${js})(?!${WORD_CHAR})`
  const flags = o.ignoreCase && !ownFolding ? 'i' : ''
  let line: RegExp
  try {
    // s: `.` matches a carriage return, as it does for grep
    line = new RegExp(js, `${flags}s`)
  } catch (err) {
    // the translation makes only valid sources: what is left is the engine's size limit
    const all = patterns.map(shown).join('", "')
    throw usageError(`invalid pattern "${all}": ${/too large|stack/i.test((err as Error).message) ? 'regular expression too big' : 'cannot be compiled'}`)
  }
  const only = patterns.length === 1 ? patterns[0]! : undefined
  const plain =
    only !== undefined && only.text !== '' && !o.ignoreCase && !o.word && !o.line && (o.fixed || !/[\\^$.[\]*+?(){}|]/.test(only.text))
  const required = only !== undefined && !plain && !o.ignoreCase ? requiredLiteral(parts[0]!) : undefined
  return {
    line,
    ...(required !== undefined && required.length >= 3 ? { required: Buffer.from(required, 'latin1') } : {}),
    // the lookarounds made here (-w, \< and \>) see a newline at a line's edges in a block: the same as the line's ends
    block: new RegExp(js, `${flags}gms`),
    all: new RegExp(js, `${flags}gs`),
    ...(parts.some((p) => p.includes('|')) || parts.length > 1 ? { longest: longestMatch(js, `${flags}s`) } : {}),
    ...(plain ? { literal: Buffer.from(only.text, only.bytes ? 'latin1' : 'utf8') } : {}),
  }
}

/** scanLines for a plain string pattern, on the bytes themselves (no decoding). */
export function scanLiteral(buf: Buffer, literal: Buffer, hit: (start: number, end: number) => boolean | void): void {
  let pos = 0
  while (pos < buf.length) {
    const at = buf.indexOf(literal, pos)
    if (at < 0) return
    const start = at === 0 ? 0 : buf.lastIndexOf(0x0a, at - 1) + 1
    let end = buf.indexOf(0x0a, at)
    if (end < 0) end = buf.length
    if (hit(start, end) === false) return
    pos = end + 1
  }
}

/**
 * scanLines with `invert` for a plain string (latin1, no newline in it): each line is one search
 * for its newline, and the next occurrence of the string is searched only once the previous one is
 * behind, so a line is never decoded or tested on its own.
 */
export function scanWithout(text: string, literal: string, hit: (start: number, end: number) => boolean | void): void {
  let next = text.indexOf(literal)
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    if (next >= 0 && next < start) next = text.indexOf(literal, start)
    if (!(next >= 0 && next + literal.length <= end) && hit(start, end) === false) return
    start = end + 1
  }
}

/**
 * Calls `hit(start, end)` for each line of `text` (latin1, complete lines, `\n`-separated; a last
 * line without newline counts) that matches, or that does not when `invert`. `end` excludes the
 * newline. Returns early when `hit` returns false.
 */
export function scanLines(text: string, m: Matcher, invert: boolean, hit: (start: number, end: number) => boolean | void): void {
  const re = m.block
  if (re && !invert) {
    re.lastIndex = 0
    while (re.lastIndex <= text.length) {
      const found = re.exec(text)
      if (!found) return
      const start = found.index === 0 ? 0 : text.lastIndexOf('\n', found.index - 1) + 1
      if (start === text.length) return // an empty match after the last newline is no line
      let end = text.indexOf('\n', found.index)
      if (end < 0) end = text.length
      if (m.line.test(text.slice(start, end)) && hit(start, end) === false) return
      if (end === text.length) return
      re.lastIndex = end + 1
    }
    return
  }
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    if (m.line.test(text.slice(start, end)) !== invert && hit(start, end) === false) return
    start = end + 1
  }
}

/**
 * POSIX's leftmost-longest rule for a match found leftmost-first at `at`: ask again for a match
 * there that ends further (a lookbehind counting the characters before its end makes the engine
 * backtrack into the other alternatives), until there is none. Usually one more test a match.
 * The test is on the whole line, so anchors and lookarounds see it as it is.
 */
function longestMatch(js: string, flags: string): (line: string, at: number, end: number) => number {
  const beyond = new Map<number, RegExp>()
  const endingAfter = (n: number) => {
    let re = beyond.get(n)
    if (!re) {
      re = new RegExp(`(?:${js})(?<=[\\s\\S]{${n + 1}})`, `${flags}y`)
      if (beyond.size < 4096) beyond.set(n, re)
    }
    return re
  }
  return (line, at, end) => {
    for (;;) {
      const re = endingAfter(end)
      re.lastIndex = at
      const f = re.exec(line)
      if (!f || at + f[0].length <= end) return end
      end = at + f[0].length
    }
  }
}
