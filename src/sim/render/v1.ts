/** v1 operator API JSON (`JSON::Protobuf` of the v1 messages): IDs as {value}, times as {nanoseconds}. */
import { dbl, lazy } from '../json.js'
import { agentUsage } from '../master/views.js'
import { usedBy } from './v0.js'
import type { Agent, Executor, Framework, Label, Resources, Task, TaskStatus } from '../model.js'
import { isTerminal } from '../model.js'
import { type MasterInfo, masterInfoProto } from '../world.js'

type J = Record<string, unknown>

const ns = (seconds: number) => ({ nanoseconds: Math.round(seconds * 1e9) })
const val = (value: string) => ({ value })
const labels = (ls: Label[] | undefined) => (ls?.length ? { labels: ls.map((l) => ({ ...l })) } : undefined)
const nonEmpty = <T>(xs: T[]): T[] | undefined => (xs.length ? xs : undefined)

export function resources(r: Resources, role?: string): J[] {
  const out: J[] = []
  const alloc = role ? { allocation_info: { role } } : {}
  for (const name of ['cpus', 'mem', 'disk', 'gpus'] as const)
    if (r[name] > 0) out.push({ name, type: 'SCALAR', scalar: { value: dbl(r[name]) }, ...alloc })
  if (r.ports?.length)
    out.push({
      name: 'ports',
      type: 'RANGES',
      ranges: { range: r.ports.map(([begin, end]) => ({ begin, end })) },
      ...alloc,
    })
  return out
}

export function status(t: Task, s: TaskStatus): J {
  const cs = s.containerId
    ? {
        container_id: s.parentContainerId
          ? { value: s.containerId, parent: { value: s.parentContainerId } }
          : { value: s.containerId },
        network_infos: s.ip ? [{ ip_addresses: [{ protocol: 'IPv4', ip_address: s.ip }] }] : undefined,
      }
    : undefined
  return {
    task_id: val(t.id),
    state: s.state,
    message: s.message,
    source: s.source,
    reason: s.reason,
    agent_id: val(t.agentId),
    executor_id: t.executorId ? val(t.executorId) : undefined,
    timestamp: dbl(s.timestamp),
    uuid: s.uuid,
    healthy: s.healthy,
    container_status: cs,
  }
}

export function task(t: Task): J {
  const last = t.statuses.at(-1)
  return {
    name: t.name,
    task_id: val(t.id),
    framework_id: val(t.frameworkId),
    executor_id: t.executorId ? val(t.executorId) : undefined,
    agent_id: val(t.agentId),
    state: t.state,
    resources: nonEmpty(resources(t.resources, t.role)),
    statuses: nonEmpty(t.statuses.map((s) => status(t, s))),
    status_update_state: last?.state,
    status_update_uuid: last?.uuid,
    labels: labels(t.labels),
    discovery: t.discovery,
    container: t.container,
    user: t.user,
  }
}

export function frameworkInfo(fw: Framework): J {
  return {
    user: fw.user,
    name: fw.name,
    id: val(fw.id),
    failover_timeout: dbl(fw.failoverTimeout),
    checkpoint: fw.checkpoint,
    role: fw.roles ? undefined : (fw.role ?? '*'),
    roles: fw.roles,
    hostname: fw.hostname,
    principal: fw.principal,
    webui_url: fw.webuiUrl || undefined,
    capabilities: nonEmpty(fw.capabilities.map((type) => ({ type }))),
    labels: labels(fw.labels),
  }
}

/**
 * `model(const Framework&)` in src/master/http.cpp: `allocated_resources` are the resources of its
 * running tasks (`totalUsedResources`), `offer_constraints` is always set from 1.11 (empty unless
 * the scheduler subscribed with some).
 */
export function framework(fw: Framework, version = '1.11.0'): J {
  const role = fw.role ?? fw.roles?.[0] ?? '*'
  return {
    framework_info: frameworkInfo(fw),
    active: fw.active,
    connected: fw.connected,
    recovered: false,
    registered_time: ns(fw.registeredTime),
    unregistered_time: fw.unregisteredTime ? ns(fw.unregisteredTime) : undefined,
    allocated_resources: nonEmpty(resources(usedBy(fw.tasks), role)),
    offer_constraints: atLeast(version, 1, 11) ? {} : undefined,
  }
}

function atLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number)
  return a > major || (a === major && b >= minor)
}

export function agent(a: Agent): J {
  return {
    agent_info: {
      hostname: a.hostname,
      port: a.port,
      resources: nonEmpty(resources(a.resources)),
      attributes: undefined,
      id: val(a.id),
    },
    active: a.active,
    deactivated: !a.active,
    version: a.version,
    pid: `slave(1)@${a.hostname}:${a.port}`,
    registered_time: ns(a.registeredTime),
    reregistered_time: a.reregisteredTime ? ns(a.reregisteredTime) : undefined,
    total_resources: nonEmpty(resources(a.resources)),
    allocated_resources: nonEmpty(resources(agentUsage(a), '*')),
    capabilities: [{ type: 'MULTI_ROLE' }, { type: 'HIERARCHICAL_ROLE' }, { type: 'RESERVATION_REFINEMENT' }],
  }
}

export function executor(ex: Executor): J {
  return {
    executor_info: {
      type: ex.type === 'DEFAULT' ? 'DEFAULT' : 'CUSTOM',
      executor_id: val(ex.id),
      framework_id: val(ex.frameworkId),
      name: ex.name || undefined,
      resources: nonEmpty(resources(ex.resources)),
    },
    agent_id: val(ex.agentId),
  }
}

export function masterInfo(m: MasterInfo): J {
  const p = masterInfoProto(m)
  return { ...p, address: { ...(p.address as J) } }
}

export function getTasks(tasks: Iterable<Task>): J {
  const active: Task[] = []
  const unreachable: Task[] = []
  const completed: Task[] = []
  for (const t of tasks)
    (isTerminal(t.state) ? completed : t.state === 'TASK_UNREACHABLE' ? unreachable : active).push(t)
  const list = (ts: Task[]) => (ts.length ? lazy(ts, task) : undefined)
  return { tasks: list(active), unreachable_tasks: list(unreachable), completed_tasks: list(completed) }
}

export { ns, val }
