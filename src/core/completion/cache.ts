/**
 * The completion entry of the on-disk cache: just the task IDs (active and completed) and agent
 * names of one cluster, derived from the task index that the task-matching code caches, or
 * gathered while a command scanned the master's state. Reading the full index of 100,000 tasks
 * (tens of MB of JSON) would cost more than Node's start-up, and so would parsing a million IDs:
 * the entry itself is a small JSON file, and the IDs are a plain sorted text file beside it (all
 * IDs, then the active ones) that a TAB binary-searches, reading only the block it prints. It is
 * trusted for `cache_ttl` like every entry, counted from when the index was fetched, and derived
 * again whenever the index entry on disk is newer than it.
 */
import { randomBytes } from 'node:crypto'
import { readdirSync, rmSync, statSync } from 'node:fs'
import { open, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { DiskCache } from '../cache/disk.js'
import { completionKey, taskIndexKey } from '../cache/keys.js'
import type { Deps } from '../deps/index.js'
import type { FetchedIndex } from '../tasks/stream.js'
import type { TaskIndex } from '../tasks/model.js'
import { TERMINAL_STATES } from '../tasks/model.js'
import type { AgentName } from './engine.js'
import { IdList } from './ids.js'
import { SortedIds } from './sorted-ids.js'
import { makeDirs } from '../dirs.js'

export interface CompletionEntry {
  /** mtime of the task index entry this was derived from (0: none on disk). */
  source: number
  /** IdList-joined IDs of the active tasks, and of all tasks (completed ones included, for -i); empty with `lists`. */
  active: string
  all: string
  /** The same two lists in a text file: its path, and the byte ranges of each. */
  lists?: { file: string; all: [number, number]; active: [number, number] }
  /** The agents' [id, hostname] pairs, in entries written before `agentsText`. */
  agents: [string, string][]
  /**
   * The same pairs as JSON text, decoded only by a TAB that completes an agent: ten thousand
   * agents parsed as arrays cost every TAB on such a cluster about 90 ms (the objects and their GC).
   */
  agentsText?: string
  /** How long fetching the index took, when a refresh fetched it: is it worth waiting for the next one? */
  fetchMs?: number
}

export interface CompletionData {
  active: IdList
  /** Active and completed. */
  all: IdList
  agents(): AgentName[]
}


/** Every task ID, and the active ones. */
export interface TaskIds {
  all: SortedIds
  active: SortedIds
}

export function idsOfIndex(index: Pick<TaskIndex, 'tasks'>): TaskIds {
  const ids = { all: new SortedIds(), active: new SortedIds() }
  for (const t of index.tasks) {
    ids.all.add(t.id)
    if (!TERMINAL_STATES.has(t.state)) ids.active.add(t.id)
  }
  return ids
}

export function entryFromIndex(index: Pick<TaskIndex, 'tasks' | 'agents'>, source: number): CompletionEntry {
  const ids = idsOfIndex(index)
  return {
    source,
    active: ids.active.joined(),
    all: ids.all.joined(),
    ...agentFields(index.agents),
  }
}

function agentFields(agents: Pick<TaskIndex['agents'][number], 'id' | 'hostname'>[]): Pick<CompletionEntry, 'agents' | 'agentsText'> {
  // `agents` stays, empty, for a CLI of an earlier version reading the entry
  return { agents: [], agentsText: JSON.stringify(agents.map((a) => [a.id, a.hostname])) }
}

export function dataFromEntry(e: CompletionEntry): CompletionData {
  const l = e.lists
  return {
    active: l ? IdList.inFile(l.file, ...l.active) : new IdList(e.active),
    all: l ? IdList.inFile(l.file, ...l.all) : new IdList(e.all),
    agents: () => {
      const pairs = (e.agentsText === undefined ? e.agents : JSON.parse(e.agentsText)) as [string, string][]
      return pairs.map(([id, hostname]) => ({ id, hostname }))
    },
  }
}

/** Below this many bytes of IDs the lists stay inside the entry (one file to read). */
const INLINE_MAX = 64 * 1024

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
  write(index: TaskIndex, fetchMs?: number): Promise<CompletionEntry> {
    return this.writeIds(idsOfIndex(index), index.agents, index.fetchedAt, fetchMs)
  }

  /** Stores task IDs gathered without a full index (a filtered scan of the master's state). */
  async writeIds(
    given: TaskIds | { all: Iterable<string>; active: Iterable<string> },
    agents: Pick<TaskIndex['agents'][number], 'id' | 'hostname'>[],
    fetchedAt: number,
    fetchMs?: number,
  ): Promise<CompletionEntry> {
    const sorted = (l: Iterable<string>) => (l instanceof SortedIds ? l : SortedIds.of(l))
    const ids = { all: sorted(given.all), active: sorted(given.active) }
    const entry: CompletionEntry = { source: this.indexMtime(), active: '', all: '', ...agentFields(agents) }
    if (fetchMs !== undefined) entry.fetchMs = Math.round(fetchMs)
    const key = completionKey(this.master, this.scheme)
    // a big list goes from its sorted runs to the file, never becoming one string
    const lists = this.disk.enabled && ids.all.lengthBound + ids.active.lengthBound > INLINE_MAX ? await this.writeLists(key, ids) : undefined
    if (lists && lists.chars > INLINE_MAX) entry.lists = lists.at
    else {
      if (lists) await rm(lists.at.file, { force: true })
      entry.all = ids.all.joined()
      entry.active = ids.active.joined()
    }
    const fetched = fetchedAt <= this.now() ? fetchedAt : this.now()
    await new DiskCache(this.disk.dir, this.disk.ttlSec, () => fetched).set(key, entry)
    if (entry.lists) this.removeOtherLists(key, entry.lists.file)
    return entry
  }

  /**
   * `<entry>.<random>.ids`: all IDs then the active ones, each line ended by a newline, written a
   * chunk at a time; `chars` is the length of the two lists joined (as the entry would hold them).
   */
  private async writeLists(key: string, ids: TaskIds): Promise<{ at: NonNullable<CompletionEntry['lists']>; chars: number } | undefined> {
    const base = this.disk.fileFor(key).replace(/\.json$/, '')
    const file = `${base}.${randomBytes(4).toString('hex')}.ids`
    const bytes = [0, 0]
    let chars = 0
    try {
      await makeDirs(this.disk.dir, 0o700)
      const out = await open(file, 'w', 0o600)
      try {
        for (const [i, list] of [ids.all, ids.active].entries()) {
          for (const chunk of list.chunks()) {
            const buf = Buffer.from(chunk)
            await out.write(buf)
            bytes[i]! += buf.length
            chars += chunk.length
          }
          if (bytes[i]! > 0) chars--
        }
      } finally {
        await out.close()
      }
    } catch {
      await rm(file, { force: true }).catch(() => undefined)
      return undefined
    }
    const [a, b] = bytes as [number, number]
    return { at: { file, all: [0, a], active: [a, a + b] }, chars }
  }

  /** Older ID files of this entry (readers of the previous entry have them open, which is fine). */
  private removeOtherLists(key: string, keep: string): void {
    const prefix = `${basename(this.disk.fileFor(key)).replace(/\.json$/, '')}.`
    try {
      for (const f of readdirSync(dirname(keep)))
        if (f.startsWith(prefix) && f.endsWith('.ids') && f !== basename(keep)) rmSync(join(dirname(keep), f), { force: true })
    } catch {
      // an old list left behind only takes space
    }
  }
}

/** Keeps TAB completion's compact entry from a task index a command fetched (`ms`: how long it took). */
export async function rememberForCompletion(deps: Deps, got: FetchedIndex, ms: number): Promise<void> {
  const p = deps.settings.profile
  const cc = new CompletionCache(deps.cache().dir, p.cache_ttl, p.master, p.scheme, deps.clock.now)
  if (got.full) await cc.write(got.full, ms)
  else if (got.ids) await cc.writeIds(got.ids, got.allAgents, got.index.fetchedAt, ms)
}
