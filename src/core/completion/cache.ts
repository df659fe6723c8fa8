/**
 * The completion entry of the on-disk cache: just the task IDs (active and completed) and agent
 * names of one cluster, derived from the task index that the task-matching code caches. Reading the
 * full index of 100,000 tasks (tens of MB of JSON) would cost more than Node's start-up; this entry
 * is a few MB of two strings. It is trusted for `cache_ttl` like every entry, counted from when the
 * index was fetched, and derived again whenever the index entry on disk is newer than it.
 */
import { statSync } from 'node:fs'
import { DiskCache } from '../cache/disk.js'
import { indexKey as taskIndexKey } from '../tasks/index.js'
import type { TaskIndex } from '../tasks/model.js'
import { TERMINAL_STATES } from '../tasks/model.js'
import type { AgentName } from './engine.js'
import { IdList } from './ids.js'

export interface CompletionEntry {
  /** mtime of the task index entry this was derived from (0: none on disk). */
  source: number
  /** IdList-joined IDs of the active tasks, and of all tasks (completed ones included, for -i). */
  active: string
  all: string
  agents: [string, string][]
  /** How long fetching the index took, when a refresh fetched it: is it worth waiting for the next one? */
  fetchMs?: number
}

export interface CompletionData {
  active: IdList
  /** Active and completed. */
  all: IdList
  agents: AgentName[]
}

export { indexKey as taskIndexKey } from '../tasks/index.js'
export const completionKey = (master: string, scheme: string) => `complete\0${master}\0${scheme}`

export function entryFromIndex(index: Pick<TaskIndex, 'tasks' | 'agents'>, source: number): CompletionEntry {
  const active: string[] = []
  for (const t of index.tasks) if (!TERMINAL_STATES.has(t.state)) active.push(t.id)
  return {
    source,
    active: IdList.of(active).joined,
    all: IdList.of(index.tasks.map((t) => t.id)).joined,
    agents: index.agents.map((a) => [a.id, a.hostname]),
  }
}

export function dataFromEntry(e: CompletionEntry): CompletionData {
  return {
    active: new IdList(e.active),
    all: new IdList(e.all),
    agents: e.agents.map(([id, hostname]) => ({ id, hostname })),
  }
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs
  } catch {
    return 0
  }
}

export class CompletionCache {
  readonly disk: DiskCache

  constructor(
    dir: string,
    ttlSec: number,
    readonly master: string,
    readonly scheme: string,
    private readonly now: () => number = Date.now,
  ) {
    this.disk = new DiskCache(dir, ttlSec, now)
  }

  /** mtime of the full task index entry, 0 when there is none. */
  indexMtime(): number {
    return mtimeOf(this.disk.fileFor(taskIndexKey(this.master, this.scheme)))
  }

  /** The compact entry, if fresh and not older than the task index on disk. */
  async read(): Promise<CompletionEntry | undefined> {
    const e = await this.disk.get<CompletionEntry>(completionKey(this.master, this.scheme))
    if (!e || e.source < this.indexMtime()) return undefined
    return e
  }

  /**
   * The newest compact entry even if `cache_ttl` has passed, up to `maxAgeSec`: what a TAB offers
   * when the cluster cannot refresh it in time (suggestions only; commands never use it).
   */
  readExpired(maxAgeSec: number): Promise<CompletionEntry | undefined> {
    if (!this.disk.enabled) return Promise.resolve(undefined)
    const old = new DiskCache(this.disk.dir, Math.max(maxAgeSec, this.disk.ttlSec), this.now)
    return old.get<CompletionEntry>(completionKey(this.master, this.scheme))
  }

  /** The full task index, if fresh. */
  async readIndex(): Promise<TaskIndex | undefined> {
    // tens of MB on a big cluster: do not parse a file whose age already says it has expired
    // (an entry is written after the time it stores, so its mtime is never older than that)
    const mtime = this.indexMtime()
    if (mtime === 0 || this.now() - mtime > this.disk.ttlSec * 1000) return undefined
    return this.disk.get<TaskIndex>(taskIndexKey(this.master, this.scheme))
  }

  /** Stores the compact form of `index`, aged from when the index was fetched. */
  async write(index: TaskIndex, fetchMs?: number): Promise<CompletionEntry> {
    const entry = entryFromIndex(index, this.indexMtime())
    if (fetchMs !== undefined) entry.fetchMs = Math.round(fetchMs)
    const fetched = index.fetchedAt <= this.now() ? index.fetchedAt : this.now()
    await new DiskCache(this.disk.dir, this.disk.ttlSec, () => fetched).set(completionKey(this.master, this.scheme), entry)
    return entry
  }
}
