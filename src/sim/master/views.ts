/** The master's v0 documents (`readonly_handler.cpp`), built from the cluster on each request. */
import { dbl, lazy } from '../json.js'
import type { Agent, Executor, Framework, Resources, Task, TaskState } from '../model.js'
import { addResources, emptyResources, isTerminal, ResourceSum } from '../model.js'
import * as v0 from '../render/v0.js'
import { getOrAdd } from '../util.js'
import { firstInOrder } from './first.js'
import type { MasterInfo, World } from '../world.js'

type J = Record<string, unknown>

/** Running executors the frameworks declared themselves (task groups' DEFAULT executors), per framework. */
export function explicitExecutors(w: World): Map<string, Executor[]> {
  const m = new Map<string, Executor[]>()
  for (const a of w.cluster.agents.values())
    for (const e of a.executors) if (!e.done && e.type !== 'COMMAND') getOrAdd(m, e.frameworkId, () => []).push(e)
  return m
}

export function buildInfo(w: World): J {
  const b = w.behaviour.build
  return {
    version: w.behaviour.version,
    git_sha: b.sha,
    git_tag: b.tag,
    build_date: b.date,
    build_time: dbl(b.time),
    build_user: 'root',
  }
}

export function agentUsage(agent: Agent): Resources {
  const sum = new ResourceSum()
  for (const ex of agent.executors) for (const t of ex.tasks) if (!isTerminal(t.state)) sum.add(t.resources)
  return sum.total()
}

export function masterFlags(w: World, m: MasterInfo): Record<string, string> {
  return {
    authenticate_http_readonly: String(w.shared.auth?.realms.includes('mesos-master-readonly') ?? false),
    authenticate_http_readwrite: String(w.shared.auth?.realms.includes('mesos-master-readwrite') ?? false),
    cluster: 'sim',
    hostname_lookup: 'false',
    ip: m.ip,
    log_dir: `${w.workdir}/logs/master-${m.index}`,
    max_completed_frameworks: String(w.cluster.limits.maxCompletedFrameworks),
    max_completed_tasks_per_framework: String(w.cluster.limits.maxCompletedTasksPerFramework),
    port: String(m.port),
    quorum: String(Math.floor(w.masters.length / 2) + 1),
    work_dir: `${w.workdir}/master-${m.index}`,
    zk_session_timeout: '10secs',
  }
}

export function state(w: World, self: MasterInfo, opts: { empty?: boolean } = {}): J {
  const leader = w.leader()
  const c = w.cluster
  const all = opts.empty ? [] : [...c.agents.values()]
  const agents = all.filter((a) => !a.unreachable)
  const ex = explicitExecutors(w)
  return {
    ...buildInfo(w),
    start_time: dbl(self.startTime),
    elected_time: self.electedTime !== undefined && leader === self ? dbl(self.electedTime) : undefined,
    id: self.id,
    pid: self.pid,
    hostname: self.hostname,
    capabilities: ['AGENT_UPDATE', 'AGENT_DRAINING', 'QUOTA_V2'],
    activated_slaves: dbl(agents.filter((a) => a.active).length),
    deactivated_slaves: dbl(agents.filter((a) => !a.active).length),
    unreachable_slaves: dbl(all.length - agents.length),
    leader: leader?.pid,
    leader_info: leader
      ? { id: leader.id, pid: leader.pid, port: leader.port, hostname: leader.hostname }
      : undefined,
    cluster: 'sim',
    log_dir: `${w.workdir}/logs/master-${self.index}`,
    flags: masterFlags(w, self),
    slaves: agents.map((a) => v0.slave(a, agentUsage(a))),
    recovered_slaves: [],
    frameworks: opts.empty ? [] : lazy([...c.frameworks.values()], (f) => v0.framework(f, ex.get(f.id)), true),
    completed_frameworks: opts.empty ? [] : lazy([...c.completedFrameworks], (f) => v0.framework(f), true),
    orphan_tasks: [],
    unregistered_frameworks: [],
  }
}

const COUNTED: TaskState[] = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_KILLED',
  'TASK_FAILED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_UNREACHABLE',
]

function zeroCounts(): Record<string, number> {
  const o: Record<string, number> = {}
  for (const s of COUNTED) o[s] = 0
  return o
}

function count(o: Record<string, number>, state: TaskState): void {
  if (state in o) o[state] = o[state]! + 1
}

export function stateSummary(w: World): J {
  const c = w.cluster
  const fws = [...c.frameworks.values()]
  const byAgent = new Map<string, Record<string, number>>()
  const fwIdsByAgent = new Map<string, Set<string>>()
  const fwRows = fws.map((fw) => {
    const own = zeroCounts()
    const agentIds = new Set<string>()
    const used = new ResourceSum()
    const each = (t: Task, active: boolean): void => {
      count(own, t.state)
      count(getOrAdd(byAgent, t.agentId, zeroCounts), t.state)
      const s = getOrAdd(fwIdsByAgent, t.agentId, () => new Set<string>())
      if (!isTerminal(t.state)) s.add(fw.id)
      if (!active) return
      agentIds.add(t.agentId)
      if (!isTerminal(t.state)) used.add(t.resources)
    }
    for (const t of fw.tasks) each(t, true)
    for (const t of fw.unreachableTasks) each(t, false)
    for (const t of fw.completedTasks) each(t, false)
    return { ...v0.frameworkSummary(fw, used.total()), ...own, slave_ids: [...agentIds] }
  })
  return {
    hostname: w.leader()?.hostname ?? '127.0.0.1',
    cluster: 'sim',
    slaves: [...c.agents.values()]
      .filter((a) => !a.unreachable)
      .map((a) => ({
        ...v0.slave(a, agentUsage(a)),
        ...(byAgent.get(a.id) ?? zeroCounts()),
        framework_ids: [...(fwIdsByAgent.get(a.id) ?? [])],
      })),
    frameworks: fwRows,
  }
}

export function frameworks(w: World, id: string | null): J {
  const match = (f: Framework) => id === null || f.id === id
  const ex = explicitExecutors(w)
  return {
    frameworks: lazy([...w.cluster.frameworks.values()].filter(match), (f) => v0.framework(f, ex.get(f.id)), true),
    completed_frameworks: lazy(w.cluster.completedFrameworks.filter(match), (f) => v0.framework(f), true),
    unregistered_frameworks: [],
  }
}

export function slaves(w: World, id: string | null): J {
  return {
    slaves: [...w.cluster.agents.values()]
      .filter((a) => !a.unreachable && (id === null || a.id === id))
      .map((a) => v0.slaveFull(a, agentUsage(a))),
    recovered_slaves: [],
  }
}

/** numify<int> then a cast to size_t: junk means the default, negative means huge. */
function sizeParam(v: string | null, dflt: number): number {
  if (v === null || !/^\s*[-+]?\d+\s*$/.test(v)) return dflt
  const n = Number.parseInt(v, 10)
  return n < 0 ? Number.MAX_SAFE_INTEGER : n
}

export function tasks(w: World, q: URLSearchParams): J {
  const limit = sizeParam(q.get('limit'), 100)
  const offset = sizeParam(q.get('offset'), 0)
  const asc = q.get('order') === 'asc'
  const fwId = w.behaviour.idFilters ? q.get('framework_id') : null
  const taskId = w.behaviour.idFilters ? q.get('task_id') : null
  const candidates = taskId === null ? w.cluster.allTasks() : w.cluster.tasksById(taskId)
  function* matching(): Generator<Task> {
    for (const t of candidates) {
      if (fwId !== null && t.frameworkId !== fwId) continue
      if (taskId !== null && t.id !== taskId) continue
      yield t
    }
  }
  // by the first status' timestamp, newest first unless order=asc; a task without one goes last (first)
  const first = (t: Task) => t.statuses[0]?.timestamp
  const cmp = (a: Task, b: Task): number => {
    const x = first(a)
    const y = first(b)
    if (x === undefined && y === undefined) return 0
    if (x === undefined) return asc ? -1 : 1
    if (y === undefined) return asc ? 1 : -1
    return asc ? x - y : y - x
  }
  const page = firstInOrder(matching(), Math.min(offset + limit, Number.MAX_SAFE_INTEGER), cmp).slice(offset)
  return { tasks: lazy(page, v0.task) }
}

export function roles(w: World): J {
  const byRole = new Map<string, { fws: Set<string>; r: Resources }>()
  for (const fw of w.cluster.frameworks.values())
    for (const role of fw.roles ?? [fw.role ?? '*']) {
      const e = getOrAdd(byRole, role, () => ({ fws: new Set<string>(), r: emptyResources() }))
      e.fws.add(fw.id)
      e.r = addResources(e.r, v0.usedBy(fw.tasks))
    }
  return {
    roles: [...byRole].map(([name, e]) => ({
      name,
      weight: dbl(1),
      frameworks: [...e.fws],
      resources: v0.resources(e.r),
    })),
  }
}

export function metrics(w: World, self: MasterInfo): J {
  const c = w.cluster
  const elected = w.leader() === self
  const tasks = [...c.allTasks()]
  const n = (s: TaskState) => tasks.filter((t) => t.state === s).length
  let total = emptyResources()
  let used = emptyResources()
  for (const a of c.agents.values()) {
    total = addResources(total, a.resources)
    used = addResources(used, agentUsage(a))
  }
  const o: J = {
    'master/elected': dbl(elected ? 1 : 0),
    'master/uptime_secs': dbl(Date.now() / 1000 - self.startTime),
  }
  if (elected) {
    Object.assign(o, {
      'master/slaves_active': dbl([...c.agents.values()].filter((a) => a.active).length),
      'master/slaves_connected': dbl([...c.agents.values()].filter((a) => !a.stopped).length),
      'master/slaves_disconnected': dbl([...c.agents.values()].filter((a) => a.stopped).length),
      'master/slaves_inactive': dbl([...c.agents.values()].filter((a) => !a.active).length),
      'master/slaves_unreachable': dbl([...c.agents.values()].filter((a) => a.unreachable).length),
      'master/frameworks_active': dbl(c.frameworks.size),
      'master/frameworks_connected': dbl(c.frameworks.size),
      'master/frameworks_disconnected': dbl(0),
      'master/frameworks_inactive': dbl(0),
      'master/tasks_staging': dbl(n('TASK_STAGING')),
      'master/tasks_starting': dbl(n('TASK_STARTING')),
      'master/tasks_running': dbl(n('TASK_RUNNING')),
      'master/tasks_killing': dbl(n('TASK_KILLING')),
      'master/tasks_finished': dbl(n('TASK_FINISHED')),
      'master/tasks_failed': dbl(n('TASK_FAILED')),
      'master/tasks_killed': dbl(n('TASK_KILLED')),
      'master/tasks_lost': dbl(n('TASK_LOST')),
      'master/tasks_error': dbl(n('TASK_ERROR')),
      'master/tasks_unreachable': dbl(n('TASK_UNREACHABLE')),
    })
    for (const r of ['cpus', 'mem', 'disk', 'gpus'] as const) {
      o[`master/${r}_total`] = dbl(total[r])
      o[`master/${r}_used`] = dbl(used[r])
      o[`master/${r}_percent`] = dbl(total[r] ? used[r] / total[r] : 0)
    }
  }
  return o
}
