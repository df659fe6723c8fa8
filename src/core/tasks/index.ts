/**
 * The task index of one run: read once from the leading master, or from the on-disk cache while it
 * is younger than `cache_ttl` (completion reads the same cache entry).
 */
import { masterState } from '../cluster/state.js'
import type { Deps } from '../deps.js'
import { leaderAddress } from '../master/resolve.js'
import { type AgentView, indexFromState, type TaskIndex, type TaskView, type V0State } from './model.js'

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
  const raw = await masterState(deps)
  const leader = await deps.master().leader()
  const index = indexFromState(raw.value as V0State, leaderAddress(leader), deps.clock.now())
  await deps.cache().set(key, index)
  return index
}

export function agentOf(index: Pick<TaskIndex, 'agents'>, task: Pick<TaskView, 'agentId'>): AgentView | undefined {
  return index.agents.find((a) => a.id === task.agentId)
}
