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
}

/** Lines to print of one source (selected, context, group separators). */
export type GrepEvent =
  | { source: string; lines: GrepLine[] }
  | { source: string; count: number }
  | { source: string; named: true }

export interface GrepRun {
  pairs: number
  events: AsyncIterable<GrepEvent>
  /** Once `events` has ended: whether any line was selected, and what could not be searched. */
  summary(): { matched: boolean; problems: string[] }
}

/** What a source may queue ahead of the one being printed. */
const QUEUE_BYTES = 4 * 1024 * 1024
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

/** Searches one file; the number of selected lines, or undefined when the file does not exist. */
async function searchOne(
  deps: Deps,
  p: Pair,
  o: GrepOptions,
  emit: (e: GrepEvent, size: number) => Promise<void>,
): Promise<number | undefined> {
  const body = await p.sandbox.at(p.file, (path) => p.sandbox.files.open(path, deps.signal))
  if (body === undefined) return undefined
  const search = new SourceLines(o.matcher, o)

  const block = async (buf: Buffer): Promise<void> => {
    const lines = search.block(buf)
    if (lines.length === 0) return
    let size = 0
    for (const l of lines) size += l ? l.text.length : 3
    await emit({ source: p.source, lines }, size)
  }

  let carry: Buffer[] = []
  let carried = 0
  for await (const chunk of body) {
    if (search.done) break
    const cut = chunk.lastIndexOf(0x0a)
    if (cut < 0) {
      carry.push(chunk)
      carried += chunk.length
      if (carried > MAX_LINE_BYTES) throw new MesosError('failure', `a line longer than ${MAX_LINE_BYTES / 1048576} MiB`)
      continue
    }
    if (carried > 0) {
      // the carried piece and this chunk's first line make one line; the rest is searched in place
      const first = chunk.indexOf(0x0a) + 1
      await block(Buffer.concat([...carry, chunk.subarray(0, first)]))
      if (!search.done && first < cut + 1) await block(chunk.subarray(first, cut + 1))
    } else await block(chunk.subarray(0, cut + 1))
    carry = cut + 1 < chunk.length ? [Buffer.from(chunk.subarray(cut + 1))] : []
    carried = chunk.length - cut - 1
    if (search.done) break
  }
  if (!search.done && carried > 0) await block(Buffer.concat(carry))
  if (o.output === 'count') await emit({ source: p.source, count: search.selected }, 16)
  if (o.output === 'names' && search.selected > 0) await emit({ source: p.source, named: true }, 16)
  return search.selected
}
