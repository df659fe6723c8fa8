/**
 * `mesos top`: tasks with their CPU use right now. Mesos reports cumulative CPU time per executor
 * (`/monitor/statistics`, one request per agent per poll, `max_workers` agents at a time); the CPU
 * percentage is the CPU time spent between two polls over the time between them, measured by the
 * agent's own `timestamp` of each sample (the injected clock when an agent gives none).
 */
import type { Deps } from '../deps/index.js'
import { failure } from '../errors.js'
import { loadTaskIndex } from '../tasks/index.js'
import { matchTasks, noTaskMatches } from '../tasks/matcher.js'
import type { AgentView } from '../tasks/model.js'
import { cpuSeconds, fetchStatistics, statsKey, usageOf } from './stats.js'

export interface CpuSample {
  /** User + system CPU seconds since the executor started. */
  cpuSecs: number
  /** When it was measured, in seconds. */
  at: number
}

/** 100 × CPU seconds per second between two samples (may exceed 100 with several cores); null without a valid pair. */
export function cpuPercent(prev: CpuSample | undefined, cur: CpuSample | undefined): number | null {
  if (!prev || !cur) return null
  const dt = cur.at - prev.at
  const dc = cur.cpuSecs - prev.cpuSecs
  // a counter that went back is a restarted executor: no rate until the next pair
  if (!(dt > 0) || dc < 0) return null
  return Math.round((dc / dt) * 1000) / 10
}

export interface TopRow {
  id: string
  state: string
  framework_id: string
  agent_id: string
  hostname: string | null
  cpu_percent: number | null
  cpus_limit: number | null
  cpu_time_secs: number | null
  rss_bytes: number | null
  mem_limit_bytes: number | null
  mem_percent: number | null
}

/** Highest CPU first; rows without a rate last; then by ID. */
export function byCpu(a: TopRow, b: TopRow): number {
  const x = a.cpu_percent ?? -1
  const y = b.cpu_percent ?? -1
  if (x !== y) return y - x
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

export interface TopSnapshot {
  rows: TopRow[]
  agents: number
  /** Agents that did not answer this poll (their tasks show no statistics). */
  problem?: Error
}

/** Polls the statistics of the matching tasks' agents, keeping the previous sample of each executor. */
export class TopSampler {
  private previous = new Map<string, CpuSample>()
  private polls = 0

  constructor(
    private readonly deps: Deps,
    private readonly filter: string | undefined,
    private readonly inactive: boolean,
    /** Re-read the task list from the master every this many polls (new and ended tasks). */
    private readonly refreshEvery = 5,
  ) {}

  async poll(): Promise<TopSnapshot> {
    const deps = this.deps
    const fresh = this.polls > 0 && this.polls % this.refreshEvery === 0
    this.polls++
    const index = await loadTaskIndex(deps, { fresh })
    const result = matchTasks(index.tasks, this.filter ?? '', this.inactive)
    if (result.matches.length === 0 && this.filter && this.polls === 1) throw noTaskMatches(this.filter, result.completedMatches)
    const agentsById = new Map(index.agents.map((a) => [a.id, a]))
    const agents = [...new Set(result.matches.map((t) => t.agentId))]
      .map((id) => agentsById.get(id))
      .filter((a): a is AgentView => a !== undefined)
    const stats = await fetchStatistics(deps, agents)
    const now = deps.clock.now() / 1000
    const current = new Map<string, CpuSample>()
    const rows = result.matches.map((t): TopRow => {
      const key = statsKey(t.frameworkId, t.executorId)
      const st = stats.get(t.agentId)?.byExecutor?.get(key)?.statistics
      const cpuSecs = cpuSeconds(st)
      let sample: CpuSample | undefined
      if (cpuSecs !== null) {
        sample = { cpuSecs, at: typeof st?.timestamp === 'number' ? st.timestamp : now }
        current.set(`${t.agentId}\0${key}`, sample)
      }
      const usage = usageOf(st)
      return {
        id: t.id,
        state: t.state,
        framework_id: t.frameworkId,
        agent_id: t.agentId,
        hostname: agentsById.get(t.agentId)?.hostname ?? null,
        cpu_percent: cpuPercent(this.previous.get(`${t.agentId}\0${key}`), sample),
        cpus_limit: usage.cpus_limit,
        cpu_time_secs: usage.cpu_time_secs,
        rss_bytes: usage.rss_bytes,
        mem_limit_bytes: usage.mem_limit_bytes,
        mem_percent: usage.mem_percent,
      }
    })
    this.previous = current
    const failed = agents.filter((a) => stats.get(a.id)?.error).map((a) => a.hostname)
    const problem = failed.length > 0 ? failure(`no statistics from ${failed.length} agent(s): ${failed.join(', ')}`) : undefined
    return { rows: rows.sort(byCpu), agents: agents.length, ...(problem ? { problem } : {}) }
  }
}
