/**
 * `ls`, `find`, `cat`, `head` and `tail -n` over the sandboxes of the matched tasks. Reads run in
 * parallel (at most `max_workers` at once) while results come out in a fixed order: task ID, then
 * file. Each reader is an async iterable of results; the command renders them. What could not be
 * read is warned about at the end, and ends the iteration with an error (exit 1).
 */
import pLimit from 'p-limit'
import type { Deps } from '../deps/index.js'
import { failure, MesosError } from '../errors.js'
import type { TaskView } from '../tasks/model.js'
import { type FileEntry, IsADirectory, READ_WINDOW } from './files.js'
import type { SourceChunk } from './chunks.js'
import { joinSandbox, SandboxGone, type TaskSandbox } from './locate.js'
import { findTargets, type TaskQuery } from './targets.js'
import { headBytes, tailBytes } from './window.js'

export interface ListedEntry extends FileEntry {
  /** Name relative to the listed PATH. */
  name: string
}

/** The listing of one task's PATH; `path` of each entry relative to the sandbox root. */
export interface TaskListing {
  task: TaskView
  entries: (ListedEntry & { sandboxPath: string })[]
}

/** What went wrong for one (task, file) pair; the command goes on with the others. */
type Outcome<T> = { ok: T } | { missing: true } | { error: string }

async function attempt<T>(sandbox: TaskSandbox, rel: string, op: (path: string) => Promise<T | undefined>): Promise<Outcome<T>> {
  try {
    const v = await sandbox.at(rel, op)
    return v === undefined ? { missing: true } : { ok: v }
  } catch (err) {
    if (err instanceof SandboxGone) return { error: err.message }
    if (err instanceof IsADirectory) return { error: `${rel} in task ${sandbox.task.id} is a directory` }
    if (err instanceof MesosError && err.kind !== 'usage') return { error: `task ${sandbox.task.id}: ${err.message}` }
    throw err
  }
}

function relativeTo(root: string, path: string): string {
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path
}

/** Lists PATH; the relative names come from stripping whichever root answered. */
async function list(sandbox: TaskSandbox, rel: string): Promise<Outcome<ListedEntry[]>> {
  return attempt(sandbox, rel, async (path) => {
    const entries = await sandbox.files.browse(path)
    if (entries === undefined) return undefined
    if (entries.length === 0 && rel !== '' && rel !== '.') {
      // browsing a regular file answers []: show the file itself, as ls does
      const parent = path.slice(0, path.lastIndexOf('/'))
      const siblings = (await sandbox.files.browse(parent)) ?? []
      const self = siblings.find((e) => e.path === path)
      if (self && !self.mode.startsWith('d')) return [{ ...self, name: rel.replace(/^\.?\/+/, '') }]
    }
    return entries
      .map((e) => ({ ...e, name: relativeTo(path, e.path) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  })
}

function sandboxPathOf(relDir: string, name: string): string {
  const dir = relDir.replace(/^\.?\/+/, '').replace(/\/+$/, '')
  return dir === '' || dir === '.' ? name : `${dir}/${name}`
}

interface Report {
  problems: string[]
  missing: number
  pairs: number
}

function finish(deps: Deps, report: Report, what: string): void {
  for (const p of report.problems) deps.io.warn(p)
  if (report.pairs > 0 && report.missing === report.pairs) throw failure(`no matching task has ${what}`)
  if (report.problems.length > 0) throw new MesosError('failure', `${report.problems.length} of ${report.pairs} could not be read`)
}

export interface LsOptions extends TaskQuery {
  path: string
  recursive: boolean
}

/** `ls` and `find`: how many tasks matched, and one listing per task that has PATH, in task order. */
export async function listSandbox(deps: Deps, o: LsOptions): Promise<{ tasks: number; listings: AsyncIterable<TaskListing> }> {
  const { tasks, locator } = await findTargets(deps, o)
  async function* listings(): AsyncGenerator<TaskListing> {
    const limit = pLimit(deps.settings.profile.max_workers)
    const results = await Promise.all(
      tasks.map((t) =>
        limit(async () => {
          const sandbox = locator.open(t)
          return o.recursive ? walk(sandbox, o.path, limit) : list(sandbox, o.path)
        }),
      ),
    )
    const report: Report = { problems: [], missing: 0, pairs: tasks.length }
    for (const [i, task] of tasks.entries()) {
      const r = results[i]!
      if ('missing' in r) report.missing++
      else if ('error' in r) report.problems.push(r.error)
      else yield { task, entries: r.ok.map((e) => ({ ...e, sandboxPath: sandboxPathOf(o.path, e.name) })) }
    }
    finish(deps, report, o.path === '' ? 'a sandbox' : o.path)
  }
  return { tasks: tasks.length, listings: listings() }
}

/** Every entry below `rel`, depth first, sorted by name; names relative to `rel`. */
async function walk(sandbox: TaskSandbox, rel: string, limit: ReturnType<typeof pLimit>): Promise<Outcome<ListedEntry[]>> {
  const top = await list(sandbox, rel)
  if (!('ok' in top)) return top
  const out: ListedEntry[] = []
  const visit = async (entries: ListedEntry[], prefix: string): Promise<void> => {
    const children = await Promise.all(
      entries.map((e) =>
        e.mode.startsWith('d') ? limit(() => list(sandbox, joinSandbox(rel, `${prefix}${e.name}`))) : undefined,
      ),
    )
    for (const [i, e] of entries.entries()) {
      out.push({ ...e, name: `${prefix}${e.name}` })
      const c = children[i]
      if (c && 'ok' in c) await visit(c.ok, `${prefix}${e.name}/`)
    }
  }
  await visit(top.ok, '')
  return { ok: out }
}

export interface ReadOptions extends TaskQuery {
  files: string[]
}

interface Pair {
  task: TaskView
  file: string
  sandbox: TaskSandbox
}

function pairsOf(tasks: TaskView[], files: string[], open: (t: TaskView) => TaskSandbox): Pair[] {
  const out: Pair[] = []
  for (const task of tasks) {
    const sandbox = open(task)
    for (const file of files) out.push({ task, file, sandbox })
  }
  return out
}

/** How many (task, file) pairs a read covers: the render shows headers when there are several. */
export interface ReadPlan {
  pairs: number
  chunks: AsyncIterable<SourceChunk>
}

/** `cat`: each file streamed whole through /files/download, byte for byte, in order. */
export async function catFiles(deps: Deps, o: ReadOptions): Promise<ReadPlan> {
  const { tasks, locator } = await findTargets(deps, o)
  const pairs = pairsOf(tasks, o.files, (t) => locator.open(t))
  async function* chunks(): AsyncGenerator<SourceChunk> {
    const report: Report = { problems: [], missing: 0, pairs: pairs.length }
    for (const p of pairs) {
      const source = `${p.task.id}:${p.file}`
      const r = await attempt(p.sandbox, p.file, (path) => p.sandbox.files.open(path, deps.signal))
      if ('missing' in r) report.missing++
      else if ('error' in r) report.problems.push(r.error)
      else {
        // the source is announced once the file is known to exist, so a missing file has no header
        yield { source, bytes: Buffer.alloc(0) }
        try {
          for await (const bytes of r.ok) yield { source, bytes }
        } catch (err) {
          if (!(err instanceof MesosError) || err.kind === 'usage') throw err
          report.problems.push(`task ${p.task.id}: ${err.message}`)
        }
      }
    }
    finish(deps, report, o.files.join(', '))
  }
  return { pairs: pairs.length, chunks: chunks() }
}

export interface LinesOptions extends ReadOptions {
  lines: number
  from: 'head' | 'tail'
}

/** `head -n` and `tail -n`: read in parallel, yielded in order. */
export async function linesOf(deps: Deps, o: LinesOptions): Promise<ReadPlan> {
  const { tasks, locator } = await findTargets(deps, o)
  const pairs = pairsOf(tasks, o.files, (t) => locator.open(t))
  async function* chunks(): AsyncGenerator<SourceChunk> {
    const limit = pLimit(deps.settings.profile.max_workers)
    const results = await Promise.all(pairs.map((p) => limit(() => readLines(p, o))))
    const report: Report = { problems: [], missing: 0, pairs: pairs.length }
    for (const [i, p] of pairs.entries()) {
      const r = results[i]!
      if ('missing' in r) report.missing++
      else if ('error' in r) report.problems.push(r.error)
      else yield { source: `${p.task.id}:${p.file}`, bytes: r.ok }
    }
    finish(deps, report, o.files.join(', '))
  }
  return { pairs: pairs.length, chunks: chunks() }
}

function readLines(p: Pair, o: LinesOptions): Promise<Outcome<Buffer>> {
  return attempt(p.sandbox, p.file, async (path) => {
    const files = p.sandbox.files
    const read = async (offset: number, length: number) => (await files.read(path, offset, length)) ?? Buffer.alloc(0)
    if (o.from === 'head') {
      // the first read tells whether the file exists; later reads reuse the same path
      const first = await files.read(path, 0, READ_WINDOW)
      if (first === undefined) return undefined
      let used = false
      return headBytes(async (offset, length) => {
        if (!used && offset === 0) {
          used = true
          return first
        }
        return read(offset, length)
      }, o.lines)
    }
    const size = await files.size(path)
    if (size === undefined) return undefined
    return tailBytes(read, size, o.lines)
  })
}

export type { FileEntry }
