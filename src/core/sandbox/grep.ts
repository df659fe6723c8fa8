/**
 * `grep` over the sandboxes of the matched tasks: every (task, file) is streamed from
 * `/files/download` and searched block by block as it arrives (max_workers at once), never held
 * whole. Results come out in (task ID, file) order: the first unfinished source streams straight
 * through while the later ones search ahead into bounded queues, pausing their download when full.
 */
import pLimit from 'p-limit'
import type { Deps } from '../deps/index.js'
import { MesosError } from '../errors.js'
import { IsADirectory } from './files.js'
import { type GrepLine, type LineOptions, SourceLines } from './grep-lines.js'
import type { Matcher } from './grep-pattern.js'
import { SandboxGone, type TaskSandbox } from './locate.js'
import { findTargets, type TaskQuery } from './targets.js'

export interface GrepOptions extends TaskQuery, LineOptions {
  files: string[]
  matcher: Matcher
  /** -a: a file with NUL bytes is searched and printed as text, not reported as a binary file. */
  text?: boolean
}

/** Lines to print of one source (selected, context, group separators). */
export type GrepEvent =
  | { source: string; lines: GrepLine[] }
  | { source: string; count: number }
  | { source: string; named: true }
  /** A selected line in a binary file (one with a NUL byte), whose lines are not printed (grep's rule). */
  | { source: string; binary: true }

export interface GrepRun {
  pairs: number
  events: AsyncIterable<GrepEvent>
  /** Once `events` has ended: whether any line was selected, and what could not be searched. */
  summary(): { matched: boolean; problems: string[] }
}

/** What a source may queue ahead of the one being printed. */
const QUEUE_BYTES = 4 * 1024 * 1024
/**
 * What one search covers at most: a larger block costs more per byte, not less (a latin1 string of
 * 256 KiB took 4 times as long per byte to make and search as four of 64 KiB).
 */
const BLOCK_BYTES = 64 * 1024
/** A longer line is an error rather than unbounded memory. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024

class SourceQueue {
  private items: { e: GrepEvent; size: number }[] = []
  private bytes = 0
  private wake?: () => void
  private space?: () => void
  private done = false

  async push(e: GrepEvent, size: number): Promise<void> {
    this.items.push({ e, size })
    this.bytes += size
    this.wake?.()
    if (this.bytes > QUEUE_BYTES) await new Promise<void>((r) => (this.space = r))
  }

  close(): void {
    this.done = true
    this.wake?.()
  }

  async *drain(): AsyncGenerator<GrepEvent> {
    for (;;) {
      const next = this.items.shift()
      if (next) {
        this.bytes -= next.size
        if (this.bytes <= QUEUE_BYTES && this.space) {
          this.space()
          this.space = undefined
        }
        yield next.e
        continue
      }
      if (this.done) return
      await new Promise<void>((r) => (this.wake = r))
      this.wake = undefined
    }
  }
}

interface Pair {
  source: string
  file: string
  sandbox: TaskSandbox
}

export async function grepSandboxes(deps: Deps, o: GrepOptions): Promise<GrepRun> {
  const { tasks, locator } = await findTargets(deps, o)
  const pairs: Pair[] = tasks.flatMap((t) => {
    const sandbox = locator.open(t)
    return o.files.map((file) => ({ source: `${t.id}:${file}`, file, sandbox }))
  })
  let matched = false
  const problems: string[] = []

  async function* events(): AsyncGenerator<GrepEvent> {
    const limit = pLimit(deps.settings.profile.max_workers)
    const queues = pairs.map(() => new SourceQueue())
    const searches = pairs.map((p, i) =>
      limit(async () => {
        try {
          const found = await searchOne(deps, p, o, (e, size) => queues[i]!.push(e, size))
          if (found === undefined) return `${p.source}: no such file`
          if (found > 0) matched = true
          return undefined
        } catch (err) {
          return problemOf(p, err)
        } finally {
          queues[i]!.close()
        }
      }),
    )
    for (const [i, q] of queues.entries()) {
      yield* q.drain()
      const problem = await searches[i]
      if (problem) problems.push(problem)
    }
  }
  return { pairs: pairs.length, events: events(), summary: () => ({ matched, problems }) }
}

function problemOf(p: Pair, err: unknown): string {
  if (err instanceof SandboxGone) return err.message
  if (err instanceof IsADirectory) return `${p.source}: is a directory`
  if (err instanceof MesosError && err.kind !== 'usage') return `${p.source}: ${err.message}`
  throw err
}

/** Thrown by a search that needs no more of its file (`-l`, `-m`): the download stops there. */
const ENOUGH = new Error('enough')

/**
 * The selected lines point into the connection's read buffer, which the next read overwrites:
 * they are copied out, into one buffer per block, before they are queued.
 */
function keep(lines: GrepLine[]): GrepLine[] {
  let total = 0
  for (const l of lines) if (l) total += l.text.length
  const store = Buffer.allocUnsafe(total)
  let at = 0
  return lines.map((l) => {
    if (!l) return l
    const text = store.subarray(at, at + l.text.copy(store, at))
    at += text.length
    return { ...l, text }
  })
}

/** Searches one file; the number of selected lines, or undefined when the file does not exist. */
async function searchOne(
  deps: Deps,
  p: Pair,
  o: GrepOptions,
  emit: (e: GrepEvent, size: number) => Promise<void>,
): Promise<number | undefined> {
  const search = new SourceLines(o.matcher, o)
  // grep's rule: from the block where a NUL byte shows, the file is binary; its first selected line
  // is reported instead of printed, and the search ends there (lines printed before stay printed)
  let binary = false

  const block = (buf: Buffer): Promise<void> | undefined => {
    if (!binary && o.output === 'lines' && !o.text && buf.includes(0)) binary = true
    const before = search.selected
    const lines = search.block(buf)
    if (binary) {
      if (search.selected === before) return undefined
      search.done = true
      return emit({ source: p.source, binary: true }, 16)
    }
    if (lines.length === 0) return undefined
    let size = 0
    for (const l of lines) size += l ? l.text.length : 3
    return emit({ source: p.source, lines: keep(lines) }, size)
  }

  // the piece of a line that has not ended yet, copied out of the read buffer
  let carry: Buffer[] = []
  let carried = 0
  /** One block of at most BLOCK_BYTES; what it queued is added to `queued`. */
  const part = (chunk: Buffer, queued: Promise<void>[]): void => {
    const cut = chunk.lastIndexOf(0x0a)
    if (cut < 0) {
      carry.push(Buffer.from(chunk))
      carried += chunk.length
      if (carried > MAX_LINE_BYTES) throw new MesosError('failure', `a line longer than ${MAX_LINE_BYTES / 1048576} MiB`)
      return
    }
    const add = (w: Promise<void> | undefined) => void (w && queued.push(w))
    if (carried > 0) {
      // the carried piece and this chunk's first line make one line; the rest is searched in place
      const first = chunk.indexOf(0x0a) + 1
      add(block(Buffer.concat([...carry, chunk.subarray(0, first)])))
      if (!search.done && first < cut + 1) add(block(chunk.subarray(first, cut + 1)))
    } else add(block(chunk.subarray(0, cut + 1)))
    carry = cut + 1 < chunk.length ? [Buffer.from(chunk.subarray(cut + 1))] : []
    carried = chunk.length - cut - 1
  }
  const consume = (piece: Buffer): void | Promise<void> => {
    if (search.done) throw ENOUGH
    // blocks are queued in order as they are searched; reading waits until the queue takes them
    const queued: Promise<void>[] = []
    for (let at = 0; at < piece.length && !search.done; at += BLOCK_BYTES) part(piece.subarray(at, at + BLOCK_BYTES), queued)
    if (search.done) {
      return Promise.all(queued).then(() => {
        throw ENOUGH
      })
    }
    if (queued.length === 0) return undefined
    return queued.length === 1 ? queued[0] : Promise.all(queued).then(() => undefined)
  }

  try {
    const read = await p.sandbox.at(p.file, (path) => p.sandbox.files.each(path, consume, deps.signal))
    if (read === undefined) return undefined
  } catch (err) {
    if (err !== ENOUGH) throw err
  }
  if (!search.done && carried > 0) await block(Buffer.concat(carry))
  if (o.output === 'count') await emit({ source: p.source, count: search.selected }, 16)
  if (o.output === 'names' && search.selected > 0) await emit({ source: p.source, named: true }, 16)
  return search.selected
}
