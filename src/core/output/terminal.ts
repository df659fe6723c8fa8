/**
 * Terminal safety (spec 1.1): text that comes from the cluster is made inert before a person's
 * terminal shows it. Control characters (C0 but tab, DEL, C1), and the invisible characters that
 * reorder or hide text (bidirectional controls, line and paragraph separators) are shown escaped,
 * `\x1b` or `\u202e`, so no escape sequence runs and no newline forges a line. This is the one
 * sanitizer: the render seam uses it for stdout views and the IO for every diagnostic.
 */

// C0 except tab, DEL, C1; ALM, LRM/RLM, LRE..RLO, LRI..PDI, LS/PS, BOM
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/g
const UNSAFE_KEEP_NEWLINES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/g

function escape(ch: string): string {
  if (ch === '\n') return '\\n'
  if (ch === '\r') return '\\r'
  const c = ch.charCodeAt(0)
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`
}

/** One line of text, inert: newlines included are escaped. */
export function safe(text: string): string {
  return text.replace(UNSAFE, escape)
}

/** Several lines of text, inert, keeping its own line breaks. */
export function safeLines(text: string): string {
  return text.replace(UNSAFE_KEEP_NEWLINES, escape)
}
