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

const FIGURES = ['cpu_time_secs', 'rss_bytes', 'cpus_limit', 'mem_limit_bytes', 'mem_percent'] as const

/**
 * The figures of many rows (ps at 100,000 tasks) in columns: a float per figure, NaN for null, and
 * the executor's name (the command is cut from it when the row is made). As objects, the figures
 * of 100,000 rows took more memory than the task index itself. A figure that is not a number (a
 * wrong-shape answer) keeps the row's figures as they are.
 */
export class UsageColumns {
  private readonly numbers: Float64Array
  private readonly names: (string | undefined)[]
  private readonly known: Uint8Array
  private readonly odd = new Map<number, UsageFigures>()

  constructor(rows: number) {
    this.numbers = new Float64Array(rows * FIGURES.length)
    this.names = new Array<string | undefined>(rows)
    this.known = new Uint8Array(rows)
  }

  set(row: number, s: ExecutorStatistics): void {
    const figures = usageOf(s.statistics)
    this.known[row] = 1
    this.names[row] = s.executor_name
    for (const [k, name] of FIGURES.entries()) {
      const v = figures[name]
      if (v === null) this.numbers[row * FIGURES.length + k] = Number.NaN
      else if (typeof v === 'number' && !Number.isNaN(v)) this.numbers[row * FIGURES.length + k] = v
      else return void this.odd.set(row, figures)
    }
  }

  /** The row's figures and executor name; all null when its executor had no statistics. */
  get(row: number): { figures: UsageFigures; executorName: string | undefined } {
    if (this.known[row] === 0) return { figures: usageOf(undefined), executorName: undefined }
    const odd = this.odd.get(row)
    const at = row * FIGURES.length
    const n = (k: number) => (Number.isNaN(this.numbers[at + k]) ? null : this.numbers[at + k]!)
    return {
      figures: odd ?? { cpu_time_secs: n(0), rss_bytes: n(1), cpus_limit: n(2), mem_limit_bytes: n(3), mem_percent: n(4) },
      executorName: this.names[row],
    }
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
  const out = new Map<string, AgentStatistics>()
  await eachAgentStatistics(
    deps,
    agents,
    (agent, got) => out.set(agent.id, 'error' in got ? got : { byExecutor: new Map(got.list.map((s) => [statsKey(s.framework_id, s.executor_id), s])) }),
    onAnswer,
  )
  return out
}

/**
 * Asks every agent for its statistics, `max_workers` at a time, handing each answer over as it
 * arrives: a caller that keeps only what it shows holds one agent's answer at a time, not 1,000.
 */
export async function eachAgentStatistics(
  deps: Deps,
  agents: readonly AgentView[],
  each: (agent: AgentView, got: { list: ExecutorStatistics[] } | { error: string }) => void,
  onAnswer?: (answered: number, total: number) => void,
): Promise<void> {
  const limit = pLimit(deps.settings.profile.max_workers)
  let answered = 0
  await Promise.all(
    agents.map((agent) =>
      limit(async () => {
        const e = agentEndpoint({ ...agent, pid: agent.pid ?? '' }, deps.settings.profile.scheme)
        try {
          // 0.28 served it from a separate `monitor` process; later through the agent's own ID.
          const pid = agentProcessId({ pid: agent.pid ?? '' })
          const version = /^0\./.test(agent.version ?? '') ? '/monitor/statistics' : `/${pid}/monitor/statistics`
          // an answer of the wrong shape fails in `each`: that agent has no statistics, like one down
          each(agent, { list: await deps.http().getJson<ExecutorStatistics[]>(e, version, { bulk: true }) })
        } catch (err) {
          each(agent, { error: (err as Error).message })
        }
        onAnswer?.(++answered, agents.length)
      }),
    ),
  )
}

/** The command of a command executor, from the name the agent gives it. */
export function commandFromExecutorName(name: string | undefined): string | undefined {
  const m = /\(Command: (.*)\)$/.exec(name ?? '')
  return m ? m[1] : undefined
}
