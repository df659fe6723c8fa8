/**
 * The task index of one run: read once from the leading master, or from the on-disk cache while it
 * is younger than `cache_ttl` (completion reads the same cache entry).
 */
import type { Deps } from '../deps.js'
import type { AgentView, TaskIndex, TaskView } from './model.js'

export function taskIndexKey(deps: Pick<Deps, 'settings'>): string {
  const p = deps.settings.profile
  return `tasks\0${p.master}\0${p.scheme}`
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
  await deps.cache().set(key, index)
  return index
}

export function agentOf(index: Pick<TaskIndex, 'agents'>, task: Pick<TaskView, 'agentId'>): AgentView | undefined {
  return index.agents.find((a) => a.id === task.agentId)
}
