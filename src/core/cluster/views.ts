/**
 * `mesos frameworks` and `mesos agents`: from `/master/state-summary` (small even on big clusters:
 * no tasks, but per-state task counts), and `/master/frameworks` when completed frameworks are
 * wanted.
 */
import type { Deps } from '../deps/index.js'
import { noMatchError } from '../errors.js'
import { matchAgents } from '../tasks/agents.js'

type Resources = { cpus?: number; mem?: number; disk?: number; gpus?: number }

const ACTIVE_COUNTS = ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_UNREACHABLE'] as const

interface SummaryEntry {
  id: string
  name?: string
  hostname?: string
  active?: boolean
  version?: string
  resources?: Resources
  used_resources?: Resources
  [state: string]: unknown
}

interface Summary {
  slaves?: SummaryEntry[]
  frameworks?: SummaryEntry[]
}

function activeTasks(e: SummaryEntry): number | null {
  let n = 0
  let seen = false
  for (const k of ACTIVE_COUNTS) {
    const v = e[k]
    if (typeof v === 'number') {
      n += v
      seen = true
    }
  }
  return seen ? n : null
}

/** Mesos counts mem and disk in MB (possibly fractional); JSON carries integer bytes (docs/json.md). */
export function mbToBytes(mb: number | undefined): number {
  return Math.round((mb ?? 0) * 1024 * 1024)
}

/** Resource amounts without float noise: 0.30000000000000004 → 0.3. */
export function cpus(n: number | undefined): number {
  return Math.round((n ?? 0) * 1000) / 1000
}

export interface FrameworkRow {
  id: string
  name: string
  hostname: string
  active: boolean
  completed: boolean
  tasks: number | null
  cpus_used: number
  mem_used_bytes: number
  disk_used_bytes: number
}

interface V0Framework {
  id: string
  name?: string
  hostname?: string
  active?: boolean
  used_resources?: Resources
  tasks?: unknown[]
  unreachable_tasks?: unknown[]
}

export async function frameworkRows(deps: Deps, inactive: boolean): Promise<FrameworkRow[]> {
  const master = deps.master()
  const rows: FrameworkRow[] = []
  const summary = await master.getJson<Summary>('/master/state-summary')
  for (const f of summary.frameworks ?? []) {
    rows.push({
      id: f.id,
      name: f.name ?? '',
      hostname: f.hostname ?? '',
      active: f.active ?? false,
      completed: false,
      tasks: activeTasks(f),
      cpus_used: cpus(f.used_resources?.cpus),
      mem_used_bytes: mbToBytes(f.used_resources?.mem),
      disk_used_bytes: mbToBytes(f.used_resources?.disk),
    })
  }
  if (inactive) {
    const all = await master.getJson<{ completed_frameworks?: V0Framework[] }>('/master/frameworks')
    for (const f of all.completed_frameworks ?? []) {
      rows.push({
        id: f.id,
        name: f.name ?? '',
        hostname: f.hostname ?? '',
        active: false,
        completed: true,
        tasks: 0,
        cpus_used: 0,
        mem_used_bytes: 0,
        disk_used_bytes: 0,
      })
    }
  }
  return rows.sort((a, b) => Number(a.completed) - Number(b.completed) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

export interface AgentRow {
  id: string
  hostname: string
  active: boolean
  tasks: number | null
  cpus_used: number
  cpus_total: number
  mem_used_bytes: number
  mem_total_bytes: number
  disk_used_bytes: number
  disk_total_bytes: number
  version: string | null
}

export async function agentRows(deps: Deps, filter: string | undefined): Promise<AgentRow[]> {
  const summary = await deps.master().getJson<Summary>('/master/state-summary')
  const all = (summary.slaves ?? []).map((a) => ({ ...a, hostname: a.hostname ?? '' }))
  const chosen = filter ? matchAgents(all, filter) : all
  if (filter && chosen.length === 0) throw noMatchError(`no agent matches "${filter}"`)
  return chosen
    .map((a) => ({
      id: a.id,
      hostname: a.hostname,
      active: a.active ?? false,
      tasks: activeTasks(a),
      cpus_used: cpus(a.used_resources?.cpus),
      cpus_total: cpus(a.resources?.cpus),
      mem_used_bytes: mbToBytes(a.used_resources?.mem),
      mem_total_bytes: mbToBytes(a.resources?.mem),
      disk_used_bytes: mbToBytes(a.used_resources?.disk),
      disk_total_bytes: mbToBytes(a.resources?.disk),
      version: a.version ?? null,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
