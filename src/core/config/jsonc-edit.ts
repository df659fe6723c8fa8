/**
 * Editing a JSONC config in time linear in its size. jsonc-parser's `modify` builds a tree of the
 * whole document for every edit and formats an insertion by re-formatting its whole line, one string
 * copy per change (quadratic on a minified file: minutes for 2 MB). Config edits touch one profile
 * or one top-level key, so one scan with jsonc's tokenizer finds the top-level properties, a
 * profile's own object is edited by `modify` on its text alone, and top-level keys are replaced
 * or appended in place. Comments and everything else are kept byte for byte.
 */
type Jsonc = typeof import('jsonc-parser')

/** jsonc-parser's SyntaxKind (a const enum in its typings, so not readable at run time here). */
const S = {
  OpenBraceToken: 1,
  CloseBraceToken: 2,
  OpenBracketToken: 3,
  CloseBracketToken: 4,
  CommaToken: 5,
  ColonToken: 6,
  StringLiteral: 10,
  LineCommentTrivia: 12,
  BlockCommentTrivia: 13,
  LineBreakTrivia: 14,
  Trivia: 15,
  EOF: 17,
} as const

interface TopProperty {
  name: string
  /** The value's first and past-the-end offsets. */
  start: number
  end: number
  isObject: boolean
}

interface TopLevel {
  open: number
  close: number
  props: Map<string, TopProperty>
  last?: TopProperty
}

/** One pass over the tokens; undefined when the text is not one object (the caller falls back). */
function scanTop(jsonc: Jsonc, text: string): TopLevel | undefined {
  const scanner = jsonc.createScanner(text, false)
  const props = new Map<string, TopProperty>()
  let depth = 0
  let open = -1
  let close = -1
  let name: string | undefined
  let current: TopProperty | undefined
  let last: TopProperty | undefined
  const commit = () => {
    if (current) props.set(current.name, current)
    last = current ?? last
    current = undefined
  }
  for (let t: number = scanner.scan(); t !== S.EOF; t = scanner.scan()) {
    if (t === S.Trivia || t === S.LineBreakTrivia || t === S.LineCommentTrivia || t === S.BlockCommentTrivia) continue
    const offset = scanner.getTokenOffset()
    const end = offset + scanner.getTokenLength()
    const opens = t === S.OpenBraceToken || t === S.OpenBracketToken
    const closes = t === S.CloseBraceToken || t === S.CloseBracketToken
    if (depth === 0) {
      if (t !== S.OpenBraceToken || open >= 0) return undefined
      open = offset
      depth = 1
      continue
    }
    if (depth === 1) {
      if (t === S.CommaToken) commit()
      else if (t === S.CloseBraceToken) {
        commit()
        close = offset
        depth = 0
        continue
      } else if (t === S.ColonToken) continue
      else if (name === undefined && current === undefined && t === S.StringLiteral) name = scanner.getTokenValue()
      else if (name !== undefined) {
        current = { name, start: offset, end, isObject: t === S.OpenBraceToken }
        name = undefined
      } else return undefined
    }
    if (opens) depth++
    else if (closes) {
      depth--
      if (depth === 1 && current) current.end = end
    }
  }
  if (open < 0 || close < 0) return undefined
  return { open, close, props, last }
}

function indentOf(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1
  return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? ''
}

/** `value` as JSON, its inner lines indented under a line that starts with `indent`. */
function render(value: unknown, unit: string | undefined, indent: string, eol: string): string {
  if (unit === undefined) return JSON.stringify(value)
  return JSON.stringify(value, null, unit).split('\n').join(`${eol}${indent}`)
}

/**
 * The edit of `path` (one or two keys) to `value` (`undefined` removes it), or undefined when the
 * fast path does not apply and the whole-document edit must be used.
 */
export function editFast(
  jsonc: Jsonc,
  text: string,
  path: (string | number)[],
  value: unknown,
  format: { insertSpaces: boolean; tabSize: number; eol: string } | undefined,
): string | undefined {
  if (path.length < 1 || path.length > 2 || typeof path[0] !== 'string') return undefined
  const top = scanTop(jsonc, text)
  if (!top) return undefined
  const prop = top.props.get(path[0])
  if (path.length === 2) {
    if (!prop?.isObject) return undefined
    const section = text.slice(prop.start, prop.end)
    const edits = jsonc.modify(section, [path[1]!], value, format ? { formattingOptions: format } : {})
    return text.slice(0, prop.start) + jsonc.applyEdits(section, edits) + text.slice(prop.end)
  }
  if (value === undefined) return undefined
  const multiline = top.props.size === 0 || text.slice(top.open, top.close).includes('\n')
  const unit = multiline && format ? (format.insertSpaces ? ' '.repeat(format.tabSize) : '\t') : undefined
  const eol = format?.eol ?? '\n'
  if (prop) {
    return text.slice(0, prop.start) + render(value, unit, indentOf(text, prop.start), eol) + text.slice(prop.end)
  }
  const indent = top.last ? indentOf(text, text.lastIndexOf('"', text.lastIndexOf(':', top.last.start))) : (unit ?? '')
  const entry = `${JSON.stringify(path[0])}:${unit === undefined ? '' : ' '}${render(value, unit, indent, eol)}`
  if (top.last) {
    const at = top.last.end
    return `${text.slice(0, at)},${unit === undefined ? '' : `${eol}${indent}`}${entry}${text.slice(at)}`
  }
  const inner = unit === undefined ? entry : `${eol}${indent}${entry}${eol}`
  return `${text.slice(0, top.open + 1)}${inner}${text.slice(top.close)}`
}
