/**
 * The task index of one run: read from the on-disk cache while it is younger than `cache_ttl`
 * (completion reads the same cache entry), else from the leading master. Given the command's
 * filter, only what the command needs is fetched and kept: an exact task ID is asked of
 * `/master/tasks?task_id=` first, and the whole state is scanned keeping only the matching tasks
 * with their agents and frameworks (every task too, while the cluster is small enough to cache).
 */
import { statSync } from 'node:fs'
import type { Deps } from '../deps.js'
import { couldBeTaskId, type IndexQuery } from './exact.js'
import { matcherFor } from './matcher.js'
import type { TaskIndex } from './model.js'
import type { CollectOptions } from './collect.js'
import type { FetchedIndex } from './stream.js'

export type { IndexQuery } from './exact.js'

/** The cache key of a cluster's task index (completion reads the same entry). */
export const indexKey = (master: string, scheme: string) => `tasks\0${master}\0${scheme}`

export function taskIndexKey(deps: Pick<Deps, 'settings'>): string {
  return indexKey(deps.settings.profile.master, deps.settings.profile.scheme)
}

/** A cached index this big costs more to read than asking the master for one task. */
const BIG_CACHE_BYTES = 4 * 1024 * 1024
/** A filtered scan also keeps (and caches) every task up to this many: a small cluster's full index. */
const FULL_INDEX_UP_TO = 20_000

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
  const key = taskIndexKey(deps)
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
  const got = await fetchAndCache(deps, matches ? { keep: (id) => id === q.filter || matches(id), ids: cache.enabled, fullUpTo: FULL_INDEX_UP_TO } : {})
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
  const key = taskIndexKey(deps)
  const cache = deps.cache()
  // the scanner is loaded only when the master is asked (not on a cache hit)
  const { fetchTaskIndex } = await import('./stream.js')
  const started = performance.now()
  const got = await fetchTaskIndex(deps, opts)
  const ms = performance.now() - started
  if (got.full) await cache.set(key, got.full)
  if (cache.enabled) {
    // the compact entry TAB completion reads, so the next TAB need not parse the whole index
    const p = deps.settings.profile
    const { CompletionCache } = await import('../completion/cache.js')
    const cc = new CompletionCache(cache.dir, p.cache_ttl, p.master, p.scheme, deps.clock.now)
    if (got.full) await cc.write(got.full, ms)
    else if (got.ids) await cc.writeIds(got.ids, got.allAgents, got.index.fetchedAt, ms)
  }
  return got
}
