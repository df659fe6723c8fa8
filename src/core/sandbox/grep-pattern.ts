/**
 * grep's patterns over bytes. Lines are matched as ISO-8859-1 text (one character per byte), so any
 * line, valid UTF-8 or not, is matched and printed exactly; a pattern's non-ASCII characters become
 * their UTF-8 bytes (as `LC_ALL=C grep` sees them); with --ignore-case they match in any case, as in
 * a UTF-8 locale (grep-case.ts). Basic (default) and extended (-E) POSIX
 * syntax are translated to JavaScript's; -F is a fixed string.
 *
 * Speed: a block of many lines is searched at once with a multi-line twin of the pattern, and only
 * the lines where it hits are checked with the exact one-line pattern. The twin matches wherever
 * the line pattern does (and maybe more), so no line is missed; lookarounds, which could see past a
 * line's end, turn the block search off. A plain string, or a regex with a run of characters every
 * match must contain, is looked for as bytes in the buffer (no decoding at all); only the lines
 * holding it are decoded and tested.
 */
import { usageError } from '../errors.js'
import { foldCase, needsOwnFolding } from './grep-case.js'

export interface PatternOptions {
  /** One pattern, or several (-e repeated): a line is selected when any of them matches. */
  pattern: string | readonly string[]
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

/** A bracket expression from `[` at `i`: its JavaScript form and the index after its `]`. */
function bracket(p: string, i: number): [string, number] {
  let j = i + 1
  let out = '['
  if (p[j] === '^') {
    out += '^'
    j++
  }
  if (p[j] === ']') {
    out += '\\]'
    j++
  }
  for (; j < p.length; j++) {
    const c = p[j]!
    if (c === ']') return [`${out}]`, j + 1]
    if (c === '[' && p[j + 1] === ':') {
      const end = p.indexOf(':]', j + 2)
      const cls = end > 0 ? CLASSES[p.slice(j + 2, end)] : undefined
      if (cls === undefined) throw usageError(`invalid character class in "${p}"`)
      out += cls
      j = end + 1
    } else if (c === '\\' || c === '[') out += `\\${c}`
    else out += c
  }
  throw usageError(`unmatched [ in "${p}"`)
}

/** POSIX basic or extended syntax as a JavaScript source (GNU extensions \w \s \b \< \> kept). */
export function posixToJs(p: string, extended: boolean): string {
  const ops = '(){}|+?'
  let out = ''
  for (let i = 0; i < p.length; ) {
    const c = p[i]!
    const prev = out.at(-1)
    if (c === '\\') {
      const n = p[i + 1]
      if (n === undefined) throw usageError(`trailing backslash in "${p}"`)
      if (!extended && ops.includes(n)) out += n
      else if (n === '<' || n === '>') out += '\\b'
      else out += `\\${n}`
      i += 2
    } else if (c === '[') {
      const [cls, next] = bracket(p, i)
      out += cls
      i = next
    } else if (!extended && ops.includes(c)) {
      out += `\\${c}`
      i++
    } else if (c === '*' && (out === '' || out === '^' || prev === '(' || prev === '|')) {
      // a leading star is literal
      out += '\\*'
      i++
    } else if (extended && c === '{' && !/^\{\d+(,\d*)?\}/.test(p.slice(i))) {
      out += '\\{'
      i++
    } else {
      out += c
      i++
    }
  }
  return out
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
  // as in grep, a pattern holding newlines is several patterns
  const given = typeof o.pattern === 'string' ? [o.pattern] : o.pattern
  const patterns = given.flatMap((p) => p.split('\n'))
  const sources = patterns.map((p) => (o.fixed ? escapeRegex(p) : posixToJs(p, o.extended)))
  // the i flag would fold UTF-8 bytes as Latin-1 letters: a non-ASCII pattern folds its own case
  const ownFolding = o.ignoreCase && sources.some(needsOwnFolding)
  const parts = sources.map((js) => utf8AsLatin1(ownFolding ? foldCase(js) : js))
  const lookaround = parts.some((js) => /\(\?<?[=!]/.test(js))
  let js = parts.length === 1 ? parts[0]! : parts.map((p) => `(?:${p})`).join('|')
  if (o.line) js = `^(?:${js})$`
  else if (o.word) js = `(?<!${WORD_CHAR})(?:${js})(?!${WORD_CHAR})`
  const flags = o.ignoreCase && !ownFolding ? 'i' : ''
  let line: RegExp
  try {
    // s: `.` matches a carriage return, as it does for grep
    line = new RegExp(js, `${flags}s`)
  } catch (err) {
    const shown = given.join('", "')
    throw usageError(`invalid pattern "${shown}": ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`)
  }
  const only = patterns.length === 1 ? patterns[0]! : undefined
  const plain =
    only !== undefined && only !== '' && !o.ignoreCase && !o.word && !o.line && (o.fixed || !/[\\^$.[\]*+?(){}|]/.test(only))
  const required = only !== undefined && !plain && !o.ignoreCase ? requiredLiteral(parts[0]!) : undefined
  return {
    line,
    ...(required !== undefined && required.length >= 3 ? { required: Buffer.from(required, 'latin1') } : {}),
    // -w's lookarounds see a newline at a line's edges in a block: the same as the line's ends
    block: lookaround ? undefined : new RegExp(js, `${flags}gms`),
    all: new RegExp(js, `${flags}gs`),
    ...(plain ? { literal: Buffer.from(only, 'utf8') } : {}),
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
