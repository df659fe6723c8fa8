/**
 * The exact-ID path: a filter that could be a task ID is first asked of `/master/tasks?task_id=`
 * (Mesos 1.4 and later filter there; reference section 2.7), and the task's agent of
 * `/master/slaves?slave_id=`: a few hundred bytes instead of the whole state. Older masters ignore
 * the filter and answer with the newest tasks whatever their ID: a task with another ID in the
 * answer says so, and the caller reads the whole state instead. Nothing found (or only completed
 * tasks without --inactive) also sends the caller to the whole state, where the fragment and glob
 * rules of spec section 4 apply.
 */
import type { Deps } from '../deps/index.js'
import { leaderAddress } from '../master/resolve.js'
import { v1Call as v1 } from '../master/v1.js'
import type { AgentInfo } from './agents.js'
import { type AgentView, type FrameworkView, isTerminal, type TaskIndex, taskState, taskView } from './model.js'

export interface IndexQuery {
  filter: string
  inactive: boolean
  /** The caller shows framework details (its user): fetch them on the exact path too. */
  frameworks?: boolean
}

/** Mesos rejects task IDs that are empty or longer than a file name (`validateID`). */
export function couldBeTaskId(filter: string): boolean {
  return filter !== '' && filter.length <= 255
}

type J = Record<string, unknown>
const isObj = (v: unknown): v is J => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string => (typeof v === 'string' ? v : '')
const value = (v: unknown): string => (isObj(v) ? str(v.value) : '')

/** IDs of the DEFAULT executors (task groups) of the given frameworks, from v1 GET_EXECUTORS. */
async function defaultExecutors(deps: Deps): Promise<Set<string> | undefined> {
  const body = await v1(deps, 'GET_EXECUTORS')
  const list = isObj(body?.get_executors) ? body.get_executors.executors : undefined
  if (body === undefined) return undefined
  const out = new Set<string>()
  for (const e of Array.isArray(list) ? list : []) {
    const info = isObj(e) ? e.executor_info : undefined
    if (isObj(info) && info.type === 'DEFAULT') out.add(`${value(info.framework_id)}\0${value(info.executor_id)}`)
  }
  return out
}

async function frameworkViews(deps: Deps): Promise<FrameworkView[] | undefined> {
  const body = await v1(deps, 'GET_FRAMEWORKS')
  if (!body || !isObj(body.get_frameworks)) return undefined
  const g = body.get_frameworks
  const out: FrameworkView[] = []
  for (const [list, completed] of [
    [g.frameworks, false],
    [g.completed_frameworks, true],
  ] as const) {
    for (const f of Array.isArray(list) ? list : []) {
      const info = isObj(f) && isObj(f.framework_info) ? f.framework_info : undefined
      if (!info) continue
      out.push({
        id: value(info.id),
        name: str(info.name),
        user: str(info.user),
        hostname: str(info.hostname),
        active: isObj(f) && f.active === true,
        completed,
      })
    }
  }
  return out
}

async function agentView(deps: Deps, id: string): Promise<AgentView | undefined> {
  const body = await deps.master().getJson<{ slaves?: unknown }>('/master/slaves', { query: { slave_id: id } })
  const found = (Array.isArray(body.slaves) ? body.slaves : []).find((a): a is AgentInfo => isObj(a) && a.id === id)
  if (!found) return undefined
  const view: AgentView = { id, hostname: str(found.hostname), pid: str(found.pid) }
  if (typeof found.active === 'boolean') view.active = found.active
  if (typeof found.version === 'string') view.version = found.version
  if (typeof found.port === 'number') view.port = found.port
  return view
}

/** The index of the tasks whose ID is exactly the filter, or undefined: read the whole state. */
export async function exactTaskIndex(deps: Deps, q: IndexQuery): Promise<TaskIndex | undefined> {
  const master = deps.master()
  const body = await master.getJson<{ tasks?: unknown }>('/master/tasks', { query: { task_id: q.filter } })
  const found = Array.isArray(body.tasks) ? body.tasks : []
  if (found.length === 0) return undefined
  if (found.some((t) => !isObj(t) || t.id !== q.filter)) {
    deps.debug('the master ignores task_id (before 1.4): reading its whole state')
    return undefined
  }
  const tasks = (found as J[]).filter((t) => q.inactive || !isTerminal(taskState(t.state)))
  if (tasks.length === 0) return undefined
  const agentIds = [...new Set(tasks.map((t) => str(t.slave_id)))].filter((id) => id !== '')
  const needExecutors = tasks.some((t) => str(t.executor_id) !== '')
  const [agents, defaults, frameworks] = await Promise.all([
    Promise.all(agentIds.map((id) => agentView(deps, id))),
    needExecutors ? defaultExecutors(deps) : Promise.resolve(new Set<string>()),
    q.frameworks ? frameworkViews(deps) : Promise.resolve([]),
  ])
  if (defaults === undefined || frameworks === undefined) return undefined
  const views = tasks
    .map((t) =>
      taskView(
        {
          id: q.filter,
          name: str(t.name),
          state: taskState(t.state),
          framework_id: str(t.framework_id),
          executor_id: str(t.executor_id),
          slave_id: str(t.slave_id),
          ...(typeof t.user === 'string' ? { user: t.user } : {}),
          statuses: (Array.isArray(t.statuses) ? t.statuses : []).filter(isObj),
        },
        defaults,
      ),
    )
    .sort((a, b) => (a.frameworkId < b.frameworkId ? -1 : a.frameworkId > b.frameworkId ? 1 : 0))
  const leader = await master.leader()
  return {
    master: leaderAddress(leader),
    fetchedAt: deps.clock.now(),
    tasks: views,
    frameworks: frameworks.filter((f) => views.some((t) => t.frameworkId === f.id)),
    agents: agents.filter((a): a is AgentView => a !== undefined),
  }
}
