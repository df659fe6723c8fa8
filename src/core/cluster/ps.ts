/** `mesos ps`: tasks with their resource usage, as `ps` shows processes. */
import type { Deps } from '../deps/index.js'
import { failure } from '../errors.js'
import { loadTaskIndex } from '../tasks/index.js'
import { matchTasks, noTaskMatches } from '../tasks/matcher.js'
import type { AgentView, TaskView } from '../tasks/model.js'
import { fetchV1Tasks, lookup } from './task-detail.js'
import { commandFromExecutorName, type ExecutorStatistics, fetchStatistics, statsKey, usageOf } from './stats.js'

export interface PsRow {
  id: string
  state: string
  framework_id: string
  framework_name: string | null
  agent_id: string
  hostname: string | null
  user: string | null
  command: string | null
  cpu_time_secs: number | null
  rss_bytes: number | null
  cpus_limit: number | null
  mem_limit_bytes: number | null
  mem_percent: number | null
  /** the last status message of a task that failed; only looked up when asked (ps --wide) */
  message: string | null
}

export interface PsResult {
  rows: PsRow[]
  /** Statistics were missing from some agents: a partial answer (spec 1.2: exit 1). */
  problem?: Error
}

function row(
  task: { id: string; state: string; frameworkId: string; agentId: string; name: string },
  agent: AgentView | undefined,
  framework: { name: string; user: string } | undefined,
  user: string | undefined,
  s: ExecutorStatistics | undefined,
  message: string | undefined,
): PsRow {
  const usage = usageOf(s?.statistics)
  return {
    id: task.id,
    state: task.state,
    framework_id: task.frameworkId,
    framework_name: framework?.name ?? null,
    agent_id: task.agentId,
    hostname: agent?.hostname ?? null,
    user: user ?? null,
    command: commandFromExecutorName(s?.executor_name) ?? (task.name || null),
    cpu_time_secs: usage.cpu_time_secs,
    rss_bytes: usage.rss_bytes,
    cpus_limit: usage.cpus_limit,
    mem_limit_bytes: usage.mem_limit_bytes,
    mem_percent: usage.mem_percent,
    message: message ?? null,
  }
}

const FAILED = new Set(['TASK_FAILED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR'])

/** Last status messages of the failed tasks among `tasks`, from v1 GET_TASKS (v0 statuses have none). */
async function failureMessages(deps: Deps, tasks: TaskView[]): Promise<Map<TaskView, string>> {
  const out = new Map<TaskView, string>()
  const failed = tasks.filter((t) => FAILED.has(t.state))
  if (failed.length === 0) return out
  const v1 = await fetchV1Tasks(deps, failed)
  if (!('tasks' in v1)) {
    deps.io.note(`mesos: ${v1.unavailable}; no status messages to show`)
    return out
  }
  for (const t of failed) {
    const message = lookup(v1.tasks, t.frameworkId, t.id)?.statuses.findLast((s) => s.message)?.message
    if (message) out.set(t, message)
  }
  return out
}

export async function taskUsage(
  deps: Deps,
  filter: string | undefined,
  inactive: boolean,
  opts: { messages?: boolean } = {},
): Promise<PsResult> {
  const index = await loadTaskIndex(deps, { query: { filter: filter ?? '', inactive, frameworks: true } })
  const result = matchTasks(index.tasks, filter ?? '', inactive)
  if (result.matches.length === 0 && filter) throw noTaskMatches(filter, result.completedMatches)
  const agentsById = new Map(index.agents.map((a) => [a.id, a]))
  const frameworks = new Map(index.frameworks.map((f) => [f.id, f]))
  // Statistics exist only for running executors: ask only agents with live tasks of ours.
  const wanted = new Set(result.matches.map((t) => t.agentId))
  const agents = [...wanted].map((id) => agentsById.get(id)).filter((a): a is AgentView => a !== undefined)
  const waiting = (answered: number, total: number) => deps.io.status?.(`waiting for ${total - answered} of ${total} agents`)
  waiting(0, agents.length)
  const [stats, messages] = await Promise.all([
    fetchStatistics(deps, agents, waiting),
    opts.messages ? failureMessages(deps, result.matches) : new Map<TaskView, string>(),
  ])
  const failed: string[] = []
  for (const a of agents) {
    const s = stats.get(a.id)
    if (s?.error) {
      failed.push(a.hostname)
      deps.io.warn(`no statistics from agent ${a.hostname} (${a.id}): ${s.error}`)
    }
  }
  const rows = result.matches.map((t) =>
    row(
      t,
      agentsById.get(t.agentId),
      frameworks.get(t.frameworkId),
      t.user ?? frameworks.get(t.frameworkId)?.user,
      stats.get(t.agentId)?.byExecutor?.get(statsKey(t.frameworkId, t.executorId)),
      messages.get(t),
    ),
  )
  const problem = failed.length > 0 ? failure(`statistics missing for tasks on ${failed.length} agent(s): ${failed.join(', ')}`) : undefined
  return { rows, ...(problem ? { problem } : {}) }
}
