/**
 * Resource statistics of executors from each agent's `/monitor/statistics`: one request per agent,
 * whatever the number of its tasks, `max_workers` agents at a time.
 */
import pLimit from 'p-limit'
import type { Deps } from '../deps/index.js'
import { agentEndpoint, agentProcessId } from '../tasks/agents.js'
import type { AgentView } from '../tasks/model.js'

export interface ExecutorStatistics {
  framework_id: string
  executor_id: string
  executor_name?: string
  source?: string
  statistics: {
    timestamp?: number
    cpus_limit?: number
    cpus_user_time_secs?: number
    cpus_system_time_secs?: number
    mem_limit_bytes?: number
    mem_rss_bytes?: number
    [key: string]: unknown
  }
}

/** What ps and top show of one executor's statistics (null when unknown), rounded as docs/json.md says. */
export interface UsageFigures {
  cpu_time_secs: number | null
  rss_bytes: number | null
  cpus_limit: number | null
  mem_limit_bytes: number | null
  mem_percent: number | null
}

/** User + system CPU seconds, unrounded (CPU% is computed from their difference); null when unknown. */
export function cpuSeconds(st: ExecutorStatistics['statistics'] | undefined): number | null {
  return st && (st.cpus_user_time_secs !== undefined || st.cpus_system_time_secs !== undefined)
    ? (st.cpus_user_time_secs ?? 0) + (st.cpus_system_time_secs ?? 0)
    : null
}

export function usageOf(st: ExecutorStatistics['statistics'] | undefined): UsageFigures {
  const cpu = cpuSeconds(st)
  const rss = st?.mem_rss_bytes ?? null
  const memLimit = st?.mem_limit_bytes ?? null
  return {
    cpu_time_secs: cpu === null ? null : Math.round(cpu * 100) / 100,
    rss_bytes: rss,
    cpus_limit: st?.cpus_limit === undefined ? null : Math.round(st.cpus_limit * 1000) / 1000,
    mem_limit_bytes: memLimit,
    mem_percent: rss !== null && memLimit ? Math.round((rss / memLimit) * 10000) / 100 : null,
  }
}

export interface AgentStatistics {
  /** By `<framework_id>\0<executor_id>`; undefined when the agent could not be asked. */
  byExecutor?: Map<string, ExecutorStatistics>
  error?: string
}

export const statsKey = (frameworkId: string, executorId: string) => `${frameworkId}\0${executorId}`

export async function fetchStatistics(
  deps: Deps,
  agents: readonly AgentView[],
  onAnswer?: (answered: number, total: number) => void,
): Promise<Map<string, AgentStatistics>> {
  const limit = pLimit(deps.settings.profile.max_workers)
  const out = new Map<string, AgentStatistics>()
  await Promise.all(
    agents.map((agent) =>
      limit(async () => {
        const e = agentEndpoint({ ...agent, pid: agent.pid ?? '' }, deps.settings.profile.scheme)
        try {
          // 0.28 served it from a separate `monitor` process; later through the agent's own ID.
          const pid = agentProcessId({ pid: agent.pid ?? '' })
          const version = /^0\./.test(agent.version ?? '') ? '/monitor/statistics' : `/${pid}/monitor/statistics`
          const list = await deps.http().getJson<ExecutorStatistics[]>(e, version)
          out.set(agent.id, { byExecutor: new Map(list.map((s) => [statsKey(s.framework_id, s.executor_id), s])) })
        } catch (err) {
          out.set(agent.id, { error: (err as Error).message })
        }
        onAnswer?.(out.size, agents.length)
      }),
    ),
  )
  return out
}

/** The command of a command executor, from the name the agent gives it. */
export function commandFromExecutorName(name: string | undefined): string | undefined {
  const m = /\(Command: (.*)\)$/.exec(name ?? '')
  return m ? m[1] : undefined
}
