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

/**
 * The rows of a listing; `problem` makes a partial answer end with an error (exit 1) after them.
 * Rows may be made as they are read (a generator): JSON is then written as they come, never held
 * whole; a table needs them all for its widths.
 */
export interface Rows<T> {
  rows: Iterable<T>
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

/** Elements written to stdout together: a batch, not the whole array, is one string. */
const JSON_BATCH_CHARS = 1 << 16

/** A JSON array exactly as `formatJson` writes it, an element at a time; returns its length. */
async function writeJsonArray(io: IO, rows: Iterable<unknown>): Promise<number> {
  let n = 0
  let batch = ''
  for (const r of rows) {
    // "[\n  <element, indented>\n]": the element as it sits inside the whole array
    const one = JSON.stringify([r], null, 2)
    batch += `${n++ === 0 ? '[\n' : ',\n'}${one.slice(2, -2)}`
    if (batch.length >= JSON_BATCH_CHARS) {
      await io.out(batch)
      batch = ''
      // a file or /dev/null is written synchronously and never asks to wait, but each write's
      // callback (which holds its text) runs as a tick, after the promises: let them run
      await new Promise(setImmediate)
    }
  }
  await io.out(n === 0 ? '[]\n' : `${batch}\n]\n`)
  return n
}

export function createRender(io: IO): Render {
  return {
    io,
    text: (text) => io.out(safeLines(text)),
    json: (value) => io.out(formatJson(value)),
    jsonLine: (value, raw) => io.out(raw ? Buffer.concat([raw, Buffer.from('\n')]) : `${JSON.stringify(value)}\n`),
    async listing(spec, { rows, problem }, o) {
      let count: number
      if (o.json) count = await writeJsonArray(io, rows)
      else {
        const cells = Array.from(rows, (r) => spec.cells(r).map(safe))
        count = cells.length
        if (count > 0) await io.out(renderTable(spec.columns, cells, { headers: !o.noHeaders, width: o.wide ? undefined : io.columns() }))
      }
      if (count === 0) io.note(`mesos: ${o.empty}`)
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
