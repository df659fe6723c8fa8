/**
 * The render seam: the one place where what a command computed becomes bytes on stdout. Human
 * views (tables, lines, `==> SOURCE <==` headers) are made terminal-safe here; JSON escapes by its
 * own rules; sandbox contents are the user's bytes and pass exactly as they are.
 */
import type { IO } from '../../core/output/io.js'
import { safe, safeLines } from '../../core/output/terminal.js'
import type { SourceChunk } from '../../core/sandbox/chunks.js'
import { HeaderPrinter } from './headers.js'
import { type Column, renderTable } from './table.js'

export interface TableSpec<T> {
  columns: readonly Column[]
  cells(row: T): string[]
}

/** The rows of a listing; `problem` makes a partial answer end with an error (exit 1) after them. */
export interface Rows<T> {
  rows: readonly T[]
  problem?: Error
}

export interface ListingOptions {
  json: boolean
  noHeaders: boolean
  /** Never shorten a column, even on a narrow terminal. */
  wide?: boolean
  /** Said on stderr when there are no rows. */
  empty: string
}

export interface Render {
  readonly io: IO
  /** Human text (cluster text allowed): control characters escaped, line breaks kept. */
  text(text: string): Promise<void>
  /** A JSON document, indented, with a final newline. */
  json(value: unknown): Promise<void>
  /** One JSON value per line (NDJSON); `raw` is written as it is (already JSON). */
  jsonLine(value: unknown, raw?: Buffer): Promise<void>
  /** A listing: an aligned table on stdout (or a JSON array); nothing but a note when empty. */
  listing<T>(spec: TableSpec<T>, result: Rows<T>, o: ListingOptions): Promise<void>
  /** Sandbox bytes from several sources, exactly, under `==> SOURCE <==` headers when `headers`. */
  chunks(stream: AsyncIterable<SourceChunk>, o: { headers: boolean }): Promise<void>
}

export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}

export function createRender(io: IO): Render {
  return {
    io,
    text: (text) => io.out(safeLines(text)),
    json: (value) => io.out(formatJson(value)),
    jsonLine: (value, raw) => io.out(raw ? Buffer.concat([raw, Buffer.from('\n')]) : `${JSON.stringify(value)}\n`),
    async listing(spec, { rows, problem }, o) {
      if (o.json) await io.out(formatJson(rows))
      else if (rows.length > 0) {
        const cells = rows.map((r) => spec.cells(r).map(safe))
        await io.out(renderTable(spec.columns, cells, { headers: !o.noHeaders, width: o.wide ? undefined : io.columns() }))
      }
      if (rows.length === 0) io.note(`mesos: ${o.empty}`)
      if (problem) throw problem
    },
    async chunks(stream, o) {
      const headers = new HeaderPrinter(o.headers)
      for await (const c of stream) {
        const header = c.alone ? '' : headers.before(safe(c.source))
        if (c.bytes.length === 0 && header === '') continue
        if (header === '') headers.wrote()
        await io.out(header === '' ? c.bytes : Buffer.concat([Buffer.from(header), c.bytes]))
      }
    },
  }
}
