/**
 * One task in full, as the leading master knows it, in one shape whichever API it came from:
 * v1 `GET_TASKS` (statuses with source, reason and message) or the v0 task JSON, whose statuses
 * carry only state, time, container and health (reference §2.5). The task index keeps none of this.
 */
import type { ContainerId } from '../container/protocol.js'
import type { Deps } from '../deps/index.js'
import { V1TaskPicker, type V1TaskList } from './v1-task-picker.js'
import { failure } from '../errors.js'
import { leaderEndpoint } from '../master/resolve.js'
import { isTerminal, taskState } from '../tasks/model.js'
import { masterState } from './state.js'

export interface StatusDetail {
  state: string
  /** seconds since the epoch */
  timestamp?: number
  source?: string
  reason?: string
  message?: string
  healthy?: boolean
  containerId?: ContainerId
}

export interface ResourceSummary {
  cpus?: number
  /** megabytes, as Mesos counts them */
  mem?: number
  disk?: number
  gpus?: number
  ports: Array<[number, number]>
}

export interface Label {
  key: string
  value: string
}

export interface TaskDetail {
  id: string
  name: string
  state: string
  frameworkId: string
  agentId: string
  /** as the master has it: `""` for command tasks */
  executorId: string
  user?: string
  resources: ResourceSummary
  labels: Label[]
  discovery?: Record<string, unknown>
  container?: Record<string, unknown>
  healthCheck?: Record<string, unknown>
  statuses: StatusDetail[]
  /** from the v1 API: the statuses' source, reason and message are known */
  full: boolean
}

type J = Record<string, unknown>
const obj = (v: unknown): J | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : undefined)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const idOf = (v: unknown): string => str(obj(v)?.value) ?? str(v) ?? ''

function containerIdFrom(v: unknown): ContainerId | undefined {
  const o = obj(v)
  const value = str(o?.value)
  if (value === undefined) return undefined
  const parent = containerIdFrom(o?.parent)
  return parent ? { value, parent } : { value }
}

function labelsFrom(v: unknown): Label[] {
  const list = Array.isArray(v) ? v : Array.isArray(obj(v)?.labels) ? (obj(v)!.labels as unknown[]) : []
  return list.flatMap((l) => {
    const key = str(obj(l)?.key)
    return key === undefined ? [] : [{ key, value: str(obj(l)?.value) ?? '' }]
  })
}

/** `"[31000-31001, 31005-31005]"`, the v0 writing of port ranges. */
export function parseRanges(text: string): Array<[number, number]> {
  return [...text.matchAll(/(\d+)-(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number])
}

function v0Resources(v: unknown): ResourceSummary {
  const r = obj(v) ?? {}
  const out: ResourceSummary = { ports: typeof r.ports === 'string' ? parseRanges(r.ports) : [] }
  for (const k of ['cpus', 'mem', 'disk', 'gpus'] as const) {
    const n = num(r[k])
    if (n !== undefined) out[k] = n
  }
  return out
}

/** v1 resources are protobuf Resource arrays; scalars of one name (several reservations) add up. */
function v1Resources(v: unknown): ResourceSummary {
  const out: ResourceSummary = { ports: [] }
  for (const r of Array.isArray(v) ? v : []) {
    const o = obj(r) ?? {}
    const name = str(o.name)
    if (name === 'ports') {
      for (const range of (obj(o.ranges)?.range as unknown[] | undefined) ?? []) {
        const b = num(obj(range)?.begin)
        const e = num(obj(range)?.end)
        if (b !== undefined && e !== undefined) out.ports.push([b, e])
      }
    } else if (name === 'cpus' || name === 'mem' || name === 'disk' || name === 'gpus') {
      out[name] = (out[name] ?? 0) + (num(obj(o.scalar)?.value) ?? 0)
    }
  }
  return out
}

function statusFrom(s: unknown): StatusDetail {
  const o = obj(s) ?? {}
  const out: StatusDetail = { state: str(o.state) ?? 'TASK_UNKNOWN' }
  const ts = num(o.timestamp)
  if (ts !== undefined) out.timestamp = ts
  for (const k of ['source', 'reason', 'message'] as const) {
    const v = str(o[k])
    if (v !== undefined && v !== '') out[k] = v
  }
  if (typeof o.healthy === 'boolean') out.healthy = o.healthy
  const cid = containerIdFrom(obj(o.container_status)?.container_id)
  if (cid) out.containerId = cid
  return out
}

function common(t: J, full: boolean): Omit<TaskDetail, 'id' | 'frameworkId' | 'agentId' | 'executorId' | 'resources' | 'labels'> {
  const d: ReturnType<typeof common> = {
    name: str(t.name) ?? '',
    state: taskState(t.state),
    statuses: (Array.isArray(t.statuses) ? t.statuses : []).map(statusFrom),
    full,
  }
  const user = str(t.user)
  if (user) d.user = user
  const discovery = obj(t.discovery)
  if (discovery) d.discovery = discovery
  const container = obj(t.container)
  if (container) d.container = container
  const hc = obj(t.health_check)
  if (hc) d.healthCheck = hc
  return d
}

/** A task of v0 JSON (`/master/state`, `/master/tasks`). */
export function fromV0(t: J, frameworkId?: string): TaskDetail {
  return {
    id: str(t.id) ?? '',
    frameworkId: str(t.framework_id) ?? frameworkId ?? '',
    agentId: str(t.slave_id) ?? '',
    executorId: str(t.executor_id) ?? '',
    resources: v0Resources(t.resources),
    labels: labelsFrom(t.labels),
    ...common(t, false),
  }
}

/** A task of v1 `GET_TASKS`. */
export function fromV1(t: J): TaskDetail {
  return {
    id: idOf(t.task_id),
    frameworkId: idOf(t.framework_id),
    agentId: idOf(t.agent_id),
    executorId: idOf(t.executor_id),
    resources: v1Resources(t.resources),
    labels: labelsFrom(t.labels),
    ...common(t, true),
  }
}

/** The task's container: the newest status that names one (every executor update does, 1.2+). */
export function containerIdOf(d: Pick<TaskDetail, 'statuses'>): ContainerId | undefined {
  for (let i = d.statuses.length - 1; i >= 0; i--) if (d.statuses[i]!.containerId) return d.statuses[i]!.containerId
  return undefined
}

/** Mesos' own writing of a container ID: the parent chain joined with dots. */
export function containerIdText(id: ContainerId): string {
  return id.parent ? `${containerIdText(id.parent)}.${id.value}` : id.value
}

export const containerType = (d: Pick<TaskDetail, 'container'>): string | undefined => str(d.container?.type)
export const launchedWithTty = (d: Pick<TaskDetail, 'container'>): boolean => obj(d.container?.tty_info) !== undefined

const key = (frameworkId: string, id: string) => `${frameworkId}\0${id}`

export type V1Tasks = { tasks: Map<string, TaskDetail> } | { unavailable: string }

/**
 * The `wanted` tasks as v1 `GET_TASKS` has them. `/api/v1` is in the read-write realm, so a cluster
 * may close it to a principal that can read v0 state: that (and a pre-1.0 master) is
 * `unavailable`, for the caller to fall back on v0. GET_TASKS answers every task: the answer is
 * streamed through `V1TaskPicker`, and only tasks that may be wanted are parsed and kept.
 */
export async function fetchV1Tasks(deps: Deps, wanted: readonly { frameworkId: string; id: string }[]): Promise<V1Tasks> {
  const master = deps.master()
  const res = await master.request('/api/v1', {
    method: 'POST',
    body: '{"type":"GET_TASKS"}',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    jsonFallback: false,
  })
  if ([401, 403, 404, 405, 415].includes(res.status)) {
    await res.dump()
    return { unavailable: `the master's v1 API answered ${res.status}` }
  }
  await deps.http().expectOk(leaderEndpoint(await master.leader()), res, 'POST')
  const keys = new Set(wanted.map((w) => key(w.frameworkId, w.id)))
  // An ID is found as its bytes unless Mesos escaped some of them in the JSON: then parse each task.
  const needles = wanted.map((w) => (/^[\w.:@+=-]*$/.test(w.id) ? Buffer.from(w.id) : undefined))
  const mayHold = (bytes: Buffer) => needles.some((n) => n === undefined || bytes.includes(n))
  const byList: Record<V1TaskList, TaskDetail[]> = { tasks: [], unreachable_tasks: [], completed_tasks: [] }
  const picker = new V1TaskPicker((list, bytes) => {
    if (!mayHold(bytes)) return
    let t: unknown
    try {
      t = JSON.parse(bytes.toString('utf8'))
    } catch {
      throw failure("the master's answer to GET_TASKS is not JSON")
    }
    const d = fromV1(obj(t) ?? {})
    if (keys.has(key(d.frameworkId, d.id))) byList[list].push(d)
  })
  try {
    for await (const chunk of res.body) picker.push(chunk as Buffer)
    picker.end()
  } finally {
    res.body.destroy()
  }
  const tasks = new Map<string, TaskDetail>()
  // completed last: a task listed twice (terminal, not yet acknowledged) keeps its completed copy
  for (const d of [...byList.tasks, ...byList.unreachable_tasks, ...byList.completed_tasks]) tasks.set(key(d.frameworkId, d.id), d)
  return { tasks }
}

export const lookup = (tasks: Map<string, TaskDetail>, frameworkId: string, id: string) => tasks.get(key(frameworkId, id))

interface V0Framework {
  id?: string
  tasks?: J[]
  unreachable_tasks?: J[]
  completed_tasks?: J[]
}

/** The task in a parsed `/master/state`. */
export function findInState(state: unknown, frameworkId: string, id: string): TaskDetail | undefined {
  const s = obj(state) ?? {}
  const frameworks = [...((s.frameworks as V0Framework[] | undefined) ?? []), ...((s.completed_frameworks as V0Framework[] | undefined) ?? [])]
  for (const fw of frameworks) {
    if (fw.id !== frameworkId) continue
    for (const list of [fw.tasks, fw.unreachable_tasks, fw.completed_tasks]) {
      const t = (list ?? []).find((x) => x.id === id)
      if (t) return fromV0(t, frameworkId)
    }
  }
  return undefined
}

/**
 * One task in v0 JSON: `/master/tasks?task_id=&framework_id=` (filters from 1.4; the way Mesos'
 * own CLI finds a task to exec in), else the whole `/master/state`.
 */
export async function fetchV0Task(deps: Deps, frameworkId: string, id: string): Promise<TaskDetail | undefined> {
  const body = await deps.master().getJson<{ tasks?: J[] }>('/master/tasks', {
    query: { task_id: id, framework_id: frameworkId, limit: '10' },
  })
  const hit = (body.tasks ?? []).filter((t) => t.id === id && t.framework_id === frameworkId)
  // an unacknowledged terminal task is listed twice; the terminal copy is the newer one
  const newest = hit.find((t) => isTerminal(str(t.state) ?? '')) ?? hit[0]
  if (newest) return fromV0(newest)
  return findInState((await masterState(deps)).value, frameworkId, id)
}
