/** v0 JSON as `src/common/http.cpp` and the master/agent writers produce it (1.11). */
import { dbl, lazy } from '../json.js'
import type { Agent, Executor, Framework, Label, Resources, Task, TaskStatus } from '../model.js'
import { emptyResources, isTerminal, ResourceSum } from '../model.js'

type J = Record<string, unknown>

export function ranges(rs: Array<[number, number]>): string {
  return '[' + rs.map(([b, e]) => `${b}-${e}`).join(', ') + ']'
}

export function resources(r: Resources): J {
  const o: J = { cpus: dbl(r.cpus), gpus: dbl(r.gpus), mem: dbl(r.mem), disk: dbl(r.disk) }
  if (r.ports?.length) o.ports = ranges(r.ports)
  return o
}

const labels = (ls: Label[] | undefined): unknown => (ls?.length ? ls.map((l) => ({ ...l })) : undefined)

export function containerStatus(s: TaskStatus): J | undefined {
  if (!s.containerId) return undefined
  const cs: J = {
    container_id: s.parentContainerId
      ? { value: s.containerId, parent: { value: s.parentContainerId } }
      : { value: s.containerId },
  }
  if (s.ip) cs.network_infos = [{ ip_addresses: [{ protocol: 'IPv4', ip_address: s.ip }] }]
  return cs
}

/** `json(TaskStatus)`: only these fields; message, reason, source and uuid are v1-only. */
export function status(s: TaskStatus): J {
  return {
    state: s.state,
    timestamp: dbl(s.timestamp),
    container_status: containerStatus(s),
    healthy: s.healthy,
  }
}

export function task(t: Task): J {
  return {
    id: t.id,
    name: t.name,
    framework_id: t.frameworkId,
    executor_id: t.executorId,
    slave_id: t.agentId,
    state: t.state,
    resources: resources(t.resources),
    role: t.role,
    statuses: t.statuses.map(status),
    user: t.user,
    labels: labels(t.labels),
    discovery: t.discovery,
    container: t.container,
  }
}

export function usedBy(tasks: Iterable<Task>): Resources {
  const sum = new ResourceSum()
  for (const t of tasks) if (!isTerminal(t.state)) sum.add(t.resources)
  return sum.total()
}

function roleFields(fw: Framework): J {
  return fw.roles ? { roles: fw.roles } : { role: fw.role ?? '*' }
}

export function frameworkSummary(fw: Framework, used: Resources): J {
  return {
    id: fw.id,
    name: fw.name,
    pid: fw.pid,
    used_resources: resources(used),
    offered_resources: resources(emptyResources()),
    capabilities: fw.capabilities,
    hostname: fw.hostname,
    webui_url: fw.webuiUrl,
    active: fw.active,
    connected: fw.connected,
    recovered: false,
  }
}

/** ExecutorInfo JSON plus slave_id: only explicit executors (never command executors) reach the master. */
export function executorAtMaster(ex: Executor): J {
  return {
    executor_id: ex.id,
    name: ex.name || undefined,
    framework_id: ex.frameworkId,
    resources: resources(ex.resources),
    role: ex.role,
    labels: labels(ex.labels),
    type: ex.type === 'DEFAULT' ? 'DEFAULT' : 'CUSTOM',
    slave_id: ex.agentId,
  }
}

export function framework(fw: Framework, executors: Executor[] = []): J {
  const used = usedBy(fw.tasks)
  return {
    ...frameworkSummary(fw, used),
    user: fw.user,
    principal: fw.principal,
    failover_timeout: dbl(fw.failoverTimeout),
    checkpoint: fw.checkpoint,
    registered_time: dbl(fw.registeredTime),
    unregistered_time: dbl(fw.unregisteredTime),
    ...roleFields(fw),
    resources: resources(used),
    tasks: lazy([...fw.tasks], task),
    unreachable_tasks: lazy([...fw.unreachableTasks], task),
    completed_tasks: lazy([...fw.completedTasks], task),
    offers: [],
    executors: executors.map(executorAtMaster),
    labels: labels(fw.labels),
  }
}

export function slave(a: Agent, used: Resources): J {
  return {
    id: a.id,
    hostname: a.hostname,
    port: a.port,
    attributes: a.attributes,
    pid: `slave(1)@${a.hostname}:${a.port}`,
    registered_time: dbl(a.registeredTime),
    reregistered_time: a.reregisteredTime === undefined ? undefined : dbl(a.reregisteredTime),
    resources: resources(a.resources),
    used_resources: resources(used),
    offered_resources: resources(emptyResources()),
    reserved_resources: {},
    unreserved_resources: resources(a.resources),
    active: a.active,
    deactivated: !a.active,
    version: a.version,
    capabilities: [
      'MULTI_ROLE',
      'HIERARCHICAL_ROLE',
      'RESERVATION_REFINEMENT',
      'RESOURCE_PROVIDER',
      'RESIZE_VOLUME',
      'AGENT_OPERATION_FEEDBACK',
      'AGENT_DRAINING',
      'TASK_RESOURCE_LIMITS',
    ],
  }
}

function fullResources(r: Resources): J[] {
  const out: J[] = []
  for (const name of ['cpus', 'mem', 'disk', 'gpus'] as const)
    if (r[name] > 0) out.push({ name, type: 'SCALAR', scalar: { value: dbl(r[name]) }, role: '*' })
  if (r.ports?.length)
    out.push({
      name: 'ports',
      type: 'RANGES',
      ranges: { range: r.ports.map(([begin, end]) => ({ begin, end })) },
      role: '*',
    })
  return out
}

/** `/master/slaves` adds the *_full protobuf arrays. */
export function slaveFull(a: Agent, used: Resources): J {
  return {
    ...slave(a, used),
    reserved_resources_full: {},
    unreserved_resources_full: fullResources(a.resources),
    used_resources_full: fullResources(used),
    offered_resources_full: [],
  }
}

export { fullResources }

export function executorOnAgent(ex: Executor): J {
  return {
    id: ex.id,
    name: ex.name,
    source: ex.source,
    container: ex.containerId,
    directory: ex.directory,
    resources: resources(ex.resources),
    role: ex.role,
    labels: labels(ex.labels),
    type: ex.type === 'DEFAULT' ? 'DEFAULT' : 'CUSTOM',
    tasks: ex.tasks.map(task),
    queued_tasks: [],
    completed_tasks: ex.completedTasks.map(task),
  }
}
