/**
 * Reading what was appended to a file since the last look, through the files API: the size first,
 * then 64 KiB reads up to it. A file that shrank starts again from 0. Only complete lines are given
 * out, so several sources never interleave mid-line; an unfinished last line is held back for a
 * few quiet rounds (a prompt, a process that died mid-line), then given out too.
 */
import { type AgentFiles, READ_WINDOW } from './files.js'

export interface Cursor {
  /** Next byte to read; undefined until the file exists. */
  offset?: number
  /** An unfinished last line, held back until its newline comes. */
  partial: Buffer
  partialRounds: number
}

export const newCursor = (offset?: number): Cursor => ({ offset, partial: Buffer.alloc(0), partialRounds: 0 })

/** Quiet rounds after which an unfinished last line is printed anyway. */
const PARTIAL_FLUSH_ROUNDS = 2

/**
 * The new complete lines of `path` (empty when nothing new), or undefined when the file does not
 * exist. `onShrink` is told when the file got shorter than what was already read.
 */
export async function readAppended(
  files: AgentFiles,
  path: string,
  cursor: Cursor,
  onShrink: (from: number, to: number) => void,
): Promise<Buffer | undefined> {
  const size = await files.size(path)
  if (size === undefined) return undefined
  cursor.offset ??= 0
  if (size < cursor.offset) {
    onShrink(cursor.offset, size)
    cursor.offset = 0
    cursor.partial = Buffer.alloc(0)
  }
  const fresh: Buffer[] = []
  while (cursor.offset < size) {
    const chunk = await files.read(path, cursor.offset, Math.min(READ_WINDOW, size - cursor.offset))
    if (chunk === undefined || chunk.length === 0) break
    cursor.offset += chunk.length
    fresh.push(chunk)
  }
  return completeLines(cursor, Buffer.concat(fresh))
}

export function completeLines(c: Cursor, fresh: Buffer): Buffer {
  const all = c.partial.length ? Buffer.concat([c.partial, fresh]) : fresh
  if (fresh.length === 0) {
    if (all.length === 0) return all
    if (++c.partialRounds < PARTIAL_FLUSH_ROUNDS) return Buffer.alloc(0)
    c.partial = Buffer.alloc(0)
    c.partialRounds = 0
    return all
  }
  const cut = all.lastIndexOf(0x0a) + 1
  c.partialRounds = 0
  c.partial = all.subarray(cut)
  return all.subarray(0, cut)
}
