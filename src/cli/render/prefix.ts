/**
 * `tail --prefix`: lines from several sources interleaved, each printed whole after its source's
 * prefix (`taskmanager-00003 stdout | `), coloured per source on a TTY. The prefix is cluster text
 * and goes through safe(); the line itself is the user's bytes. A line the follower had to flush
 * before its end (a quiet writer, spec: "up to a bound") ends with `…`, and its continuation starts
 * with `…`, so no line is ever merged with another source's.
 */
import type { IO } from '../../core/output/io.js'
import { safe } from '../../core/output/terminal.js'
import type { SourceChunk } from '../../core/sandbox/chunks.js'
import type { Matcher } from '../../core/sandbox/grep-pattern.js'

const PALETTE = [36, 32, 33, 35, 34, 96, 92, 93, 95, 94, 31, 91]
const MARK = Buffer.from('…')
const NL = Buffer.from('\n')

export interface PrefixOptions {
  /** The FILE arguments, to split `TASK_ID:FILE` sources (task IDs may contain colons). */
  files: readonly string[]
  color: boolean
  /** Following: a last line without newline is a flushed piece that may continue. */
  follow: boolean
  grep?: Matcher
}

/** `TASK_ID:FILE` as `TASK_ID FILE`. */
export function prefixLabel(source: string, files: readonly string[]): string {
  const file = [...files].sort((a, b) => b.length - a.length).find((f) => source.endsWith(`:${f}`))
  return file === undefined ? source : `${source.slice(0, -(file.length + 1))} ${file}`
}

interface SourceState {
  prefix: Buffer
  /** The last piece printed ended before its newline. */
  open: boolean
  /** ...and was selected by --grep, so its continuation is too. */
  openSelected: boolean
}

/** Splits chunks into lines and prints each with its source's prefix; --grep keeps matching lines. */
export async function renderPrefixed(io: IO, stream: AsyncIterable<SourceChunk>, o: PrefixOptions): Promise<void> {
  const states = new Map<string, SourceState>()
  const stateOf = (source: string): SourceState => {
    let s = states.get(source)
    if (!s) {
      const label = `${safe(prefixLabel(source, o.files))} | `
      const code = PALETTE[states.size % PALETTE.length]!
      s = { prefix: Buffer.from(o.color ? `\x1b[${code}m${label}\x1b[39m` : label), open: false, openSelected: false }
      states.set(source, s)
    }
    return s
  }
  for await (const c of stream) {
    if (c.bytes.length === 0) continue
    const s = stateOf(c.source)
    const parts: Buffer[] = []
    let start = 0
    while (start < c.bytes.length) {
      const nl = c.bytes.indexOf(0x0a, start)
      const end = nl < 0 ? c.bytes.length : nl
      const line = c.bytes.subarray(start, end)
      const continued = s.open
      const keep = (continued && s.openSelected) || !o.grep || o.grep.line.test(line.toString('latin1'))
      const partial = nl < 0 && o.follow
      if (keep) {
        parts.push(s.prefix)
        if (continued) parts.push(MARK)
        parts.push(line)
        if (partial) parts.push(MARK)
        parts.push(NL)
      }
      s.open = partial
      s.openSelected = partial && keep
      start = end + 1
    }
    if (parts.length > 0) await io.out(Buffer.concat(parts))
  }
}

/** --grep without --prefix: the selected lines of each chunk, which stays whole-line. */
export async function* grepChunks(stream: AsyncIterable<SourceChunk>, m: Matcher): AsyncGenerator<SourceChunk> {
  const openSelected = new Map<string, boolean>()
  for await (const c of stream) {
    const kept: Buffer[] = []
    let start = 0
    while (start < c.bytes.length) {
      const nl = c.bytes.indexOf(0x0a, start)
      const end = nl < 0 ? c.bytes.length : nl + 1
      const line = c.bytes.subarray(start, end)
      const keep = openSelected.get(c.source) === true || m.line.test(c.bytes.subarray(start, nl < 0 ? end : nl).toString('latin1'))
      if (keep) kept.push(line)
      openSelected.set(c.source, nl < 0 && keep)
      start = end
    }
    if (kept.length > 0) yield { ...c, bytes: Buffer.concat(kept) }
  }
}
