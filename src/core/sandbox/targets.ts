/**
 * The tasks a sandbox command works on: matched against the task index, refreshed once from the
 * master when the cached index knows no match (a task that just started).
 */
import type { Deps } from '../deps/index.js'
import { loadTaskIndex } from '../tasks/index.js'
import { type MatchResult, matchTasks, noTaskMatches } from '../tasks/matcher.js'
import type { TaskIndex, TaskView } from '../tasks/model.js'
import { SandboxLocator } from './locate.js'

export interface TaskQuery {
  filter: string
  inactive: boolean
  /** The frameworks' names and users are needed too (an exact-ID lookup fetches them only then). */
  frameworks?: boolean
}

export interface Targets {
  index: TaskIndex
  tasks: TaskView[]
  locator: SandboxLocator
}

export async function findTargets(deps: Deps, q: TaskQuery, opts: { allowEmpty?: boolean } = {}): Promise<Targets> {
  let index = await loadTaskIndex(deps, { query: q })
  let result: MatchResult = matchTasks(index.tasks, q.filter, q.inactive)
  if (result.matches.length === 0 && index.fetchedAt < deps.clock.now() - 100) {
    index = await loadTaskIndex(deps, { fresh: true, query: q })
    result = matchTasks(index.tasks, q.filter, q.inactive)
  }
  if (result.matches.length === 0 && !opts.allowEmpty) throw noTaskMatches(q.filter, result.completedMatches)
  return { index, tasks: result.matches, locator: new SandboxLocator(deps, index) }
}
