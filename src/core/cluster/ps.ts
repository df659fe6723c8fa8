/** `mesos ps`: tasks with their resource usage, as `ps` shows processes. */
import type { Deps } from '../deps/index.js'
import { failure } from '../errors.js'
import { loadTaskIndex } from '../tasks/index.js'
import { matchTasks, noTaskMatches } from '../tasks/matcher.js'
import type { AgentView, TaskView } from '../tasks/model.js'
import { fetchV1Tasks, lookup } from './task-detail.js'
import { commandFromExecutorName, eachAgentStatistics, statsKey, UsageColumns, type UsageFigures } from './stats.js'

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
  /** In task ID order; each row is made as it is read (100,000 rows are never all in memory at once). */
  rows: Iterable<PsRow>
  /** How many frameworks the rows belong to. */
  frameworks: number
  /** Whether some row has a message. */
  messages: boolean
  /** Statistics were missing from some agents: a partial answer (spec 1.2: exit 1). */
  problem?: Error
}

function row(
  task: { id: string; state: string; frameworkId: string; agentId: string; name: string },
  agent: AgentView | undefined,
  framework: { name: string; user: string } | undefined,
  user: string | undefined,
  { figures: usage, executorName }: { figures: UsageFigures; executorName: string | undefined },
  message: string | undefined,
): PsRow {
  return {
    id: task.id,
    state: task.state,
    framework_id: task.frameworkId,
    framework_name: framework?.name ?? null,
    agent_id: task.agentId,
    hostname: agent?.hostname ?? null,
    user: user ?? null,
    command: commandFromExecutorName(executorName) ?? (task.name || null),
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
  // each agent's answer is reduced to the figures its tasks show as it arrives, then dropped
  const tasksOn = new Map<string, number[]>()
  result.matches.forEach((t, i) => {
    const on = tasksOn.get(t.agentId)
    if (on) on.push(i)
    else tasksOn.set(t.agentId, [i])
  })
  const usage = new UsageColumns(result.matches.length)
  const errors = new Map<string, string>()
  const [, messages] = await Promise.all([
    eachAgentStatistics(
      deps,
      agents,
      (agent, got) => {
        if ('error' in got) return void errors.set(agent.id, got.error)
        const byExecutor = new Map(got.list.map((s) => [statsKey(s.framework_id, s.executor_id), s]))
        for (const i of tasksOn.get(agent.id) ?? []) {
          const t = result.matches[i]!
          const s = byExecutor.get(statsKey(t.frameworkId, t.executorId))
          if (s) usage.set(i, s)
        }
      },
      waiting,
    ),
    opts.messages ? failureMessages(deps, result.matches) : new Map<TaskView, string>(),
  ])
  const failed: string[] = []
  for (const a of agents) {
    const error = errors.get(a.id)
    if (error !== undefined) {
      failed.push(a.hostname)
      deps.io.warn(`no statistics from agent ${a.hostname} (${a.id}): ${error}`)
    }
  }
  function* rows(): Generator<PsRow> {
    for (const [i, t] of result.matches.entries()) {
      const framework = frameworks.get(t.frameworkId)
      yield row(t, agentsById.get(t.agentId), framework, t.user ?? framework?.user, usage.get(i), messages.get(t))
    }
  }
  const problem = failed.length > 0 ? failure(`statistics missing for tasks on ${failed.length} agent(s): ${failed.join(', ')}`) : undefined
  return {
    rows: rows(),
    frameworks: new Set(result.matches.map((t) => t.frameworkId)).size,
    messages: messages.size > 0,
    ...(problem ? { problem } : {}),
  }
}
