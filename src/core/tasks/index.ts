/**
 * The task index of one run: read from the on-disk cache while it is younger than `cache_ttl`
 * (completion reads the same cache entry), else from the leading master. Given the command's
 * filter, only what the command needs is fetched and kept: an exact task ID is asked of
 * `/master/tasks?task_id=` first, and the whole state is scanned keeping only the matching tasks
 * with their agents and frameworks (every task too, while the cluster is small enough to cache).
 */
import { statSync } from 'node:fs'
import { taskIndexKey } from '../cache/keys.js'
import type { Deps } from '../deps/index.js'
import { couldBeTaskId, type IndexQuery } from './exact.js'
import { literalOf, matcherFor } from './matcher.js'
import type { TaskIndex } from './model.js'
import type { CollectOptions } from './collect.js'
import type { FetchedIndex } from './stream.js'

export type { IndexQuery } from './exact.js'

function indexKeyOf(deps: Pick<Deps, 'settings'>): string {
  return taskIndexKey(deps.settings.profile.master, deps.settings.profile.scheme)
}

/** A cached index this big costs more to read than asking the master for one task. */
const BIG_CACHE_BYTES = 4 * 1024 * 1024
/**
 * A filtered scan also keeps (and caches) every task while there are up to this many, in up to
 * this many bytes of the document: a small cluster's full index. Holding the bytes costs a big
 * cluster's scan about 11 ms of CPU a MB (fresh memory); clusters past it get their full index
 * from the detached completion refresh instead (REFRESH_FULL_INDEX_UP_TO).
 */
const FULL_INDEX_UP_TO = 20_000
const FULL_INDEX_BYTES = 4 * 1024 * 1024

function fileBytes(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

export interface LoadOptions {
  /** Ignore the cache. */
  fresh?: boolean
  /** The command's task filter: fetch only what it selects (the result may hold only those tasks). */
  query?: IndexQuery
}

export async function loadTaskIndex(deps: Deps, opts: LoadOptions = {}): Promise<TaskIndex> {
  const key = indexKeyOf(deps)
  const cache = deps.cache()
  const q = opts.query !== undefined && opts.query.filter !== '' ? opts.query : undefined
  const exactFirst = q !== undefined && couldBeTaskId(q.filter)
  const fromCache = async () => {
    const hit = opts.fresh ? undefined : await cache.get<TaskIndex>(key)
    if (hit) deps.debug(`task index from the cache (${hit.tasks.length} tasks)`)
    return hit
  }
  const bigCache = exactFirst && cache.enabled && fileBytes(cache.fileFor(key)) > BIG_CACHE_BYTES
  if (!bigCache) {
    const hit = await fromCache()
    if (hit) return hit
  }
  if (exactFirst) {
    const { exactTaskIndex } = await import('./exact.js')
    const found = await exactTaskIndex(deps, q)
    if (found) {
      deps.debug(`task ${q.filter} from /master/tasks?task_id=`)
      return found
    }
    const hit = bigCache ? await fromCache() : undefined
    if (hit) return hit
  }
  const matches = q && matcherFor(q.filter)
  const keep = matches && { keep: (id: string) => id === q.filter || matches(id), keepNeeds: literalOf(q.filter), ids: cache.enabled, fullUpTo: FULL_INDEX_UP_TO, fullBytes: FULL_INDEX_BYTES }
  const got = await fetchAndCache(deps, keep || {})
  return got.index
}

/**
 * What a detached completion refresh does: every task ID for the completion entry, and the full
 * index only while the cluster is small enough for a later command to read it faster than the master.
 */
export async function refreshTaskCaches(deps: Deps): Promise<void> {
  await fetchAndCache(deps, { keep: () => false, ids: true, fullUpTo: REFRESH_FULL_INDEX_UP_TO })
}

/** A refresh runs detached, off the TAB's clock: it may keep a bigger full index than a command. */
const REFRESH_FULL_INDEX_UP_TO = 200_000

async function fetchAndCache(deps: Deps, opts: CollectOptions): Promise<FetchedIndex> {
  const key = indexKeyOf(deps)
  const cache = deps.cache()
  // the scanner is loaded only when the master is asked (not on a cache hit)
  const { fetchTaskIndex } = await import('./stream.js')
  const started = performance.now()
  const got = await fetchTaskIndex(deps, opts)
  const ms = performance.now() - started
  if (got.full) await cache.set(key, got.full)
  // completion derives its compact entry from it (the run's dependencies know who listens)
  if (cache.enabled) await deps.taskIndexFetched?.(got, ms)
  return got
}
