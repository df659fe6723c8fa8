/**
 * The task index of one run: read once from the leading master, or from the on-disk cache while it
 * is younger than `cache_ttl` (completion reads the same cache entry).
 */
import type { Deps } from '../deps.js'
import type { TaskIndex } from './model.js'

/** The cache key of a cluster's task index (completion reads the same entry). */
export const indexKey = (master: string, scheme: string) => `tasks\0${master}\0${scheme}`

export function taskIndexKey(deps: Pick<Deps, 'settings'>): string {
  return indexKey(deps.settings.profile.master, deps.settings.profile.scheme)
}

export async function loadTaskIndex(deps: Deps, opts: { fresh?: boolean } = {}): Promise<TaskIndex> {
  const key = taskIndexKey(deps)
  if (!opts.fresh) {
    const hit = await deps.cache().get<TaskIndex>(key)
    if (hit) {
      deps.debug(`task index from the cache (${hit.tasks.length} tasks)`)
      return hit
    }
  }
  // the streaming parser is loaded only when the master is asked (not on a cache hit)
  const { fetchTaskIndex } = await import('./stream.js')
  const index = await fetchTaskIndex(deps)
  const cache = deps.cache()
  await cache.set(key, index)
  if (cache.enabled) {
    // the compact entry TAB completion reads, so the next TAB need not parse the whole index
    const p = deps.settings.profile
    const { CompletionCache } = await import('../completion/cache.js')
    await new CompletionCache(cache.dir, p.cache_ttl, p.master, p.scheme, deps.clock.now).write(index)
  }
  return index
}
