/**
 * `mesos describe`: each matching task's whole story in one object: identity, where it runs,
 * its container and sandbox, resources, labels, discovery, health check, and the status history
 * with the latest failure. The keys are the command's JSON shape (docs in its --help, pinned by
 * test/exec/describe.test.ts); the human view is formatted from the same object.
 */
import type { Deps } from '../deps/index.js'
import { failure } from '../errors.js'
import { predatesVirtualPaths, type SandboxLocator, virtualSandboxPath } from '../sandbox/locate.js'
import { findTargets } from '../sandbox/targets.js'
import type { TaskIndex, TaskView } from '../tasks/model.js'
import {
  containerIdOf,
  containerIdText,
  containerType,
  fetchV0Task,
  fetchV1Tasks,
  launchedWithTty,
  lookup,
  type StatusDetail,
  type TaskDetail,
} from './task-detail.js'

export interface StatusStory {
  state: string
  /** ISO-8601 UTC */
  timestamp: string | null
  source: string | null
  reason: string | null
  message: string | null
}

export interface TaskStory {
  id: string
  name: string
  state: string
  framework_id: string
  framework_name: string | null
  agent_id: string
  hostname: string | null
  /** the agent's name for the executor: the task ID for command tasks */
  executor_id: string
  command_executor: boolean
  container_id: string | null
  container_type: string | null
  tty: boolean
  user: string | null
  /** the sandbox's real directory on the agent */
  sandbox: string | null
  /** its `/frameworks/...` path in the agent's files API (agents 1.5+) */
  sandbox_virtual: string | null
  resources: {
    cpus: number | null
    mem_bytes: number | null
    disk_bytes: number | null
    gpus: number | null
    ports: Array<{ begin: number; end: number }>
  }
  labels: Array<{ key: string; value: string }>
  discovery: { name: string | null; visibility: string | null; ports: Array<{ number: number; protocol: string | null; name: string | null }> } | null
  /** as the master sent it (HealthCheck protobuf JSON) */
  health_check: Record<string, unknown> | null
  /** the latest status's health, when the task is health-checked */
  healthy: boolean | null
  /** the newest status in a failed state (FAILED, ERROR, LOST, ...) */
  failure: StatusStory | null
  statuses: StatusStory[]
}

export interface DescribeResult {
  tasks: TaskStory[]
  /** some sandboxes could not be read: a partial answer (exit 1 after the output) */
  problem?: Error
}

const FAILED = new Set(['TASK_FAILED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNREACHABLE'])
const MB = 1024 * 1024

const iso = (seconds: number | undefined) => (seconds === undefined ? null : new Date(seconds * 1000).toISOString())

function statusStory(s: StatusDetail): StatusStory {
  return { state: s.state, timestamp: iso(s.timestamp), source: s.source ?? null, reason: s.reason ?? null, message: s.message ?? null }
}

function discoveryStory(d: Record<string, unknown> | undefined): TaskStory['discovery'] {
  if (!d) return null
  const ports = ((d.ports as { ports?: unknown[] } | undefined)?.ports ?? []) as Array<Record<string, unknown>>
  const s = (v: unknown) => (typeof v === 'string' ? v : null)
  return {
    name: s(d.name),
    visibility: s(d.visibility),
    ports: ports.filter((p) => typeof p.number === 'number').map((p) => ({ number: p.number as number, protocol: s(p.protocol), name: s(p.name) })),
  }
}

function story(view: TaskView, d: TaskDetail | undefined, index: TaskIndex, sandbox: string | null): TaskStory {
  const statuses = d?.statuses ?? []
  const cid = d ? containerIdOf(d) : undefined
  const agent = index.agents.find((a) => a.id === view.agentId)
  const r = d?.resources
  const failed = [...statuses].reverse().find((s) => FAILED.has(s.state))
  const last = statuses.at(-1)
  return {
    id: view.id,
    name: d?.name || view.name,
    state: d?.state ?? view.state,
    framework_id: view.frameworkId,
    framework_name: index.frameworks.find((f) => f.id === view.frameworkId)?.name ?? null,
    agent_id: view.agentId,
    hostname: agent?.hostname ?? null,
    executor_id: view.executorId,
    command_executor: d ? d.executorId === '' : view.executorId === view.id,
    container_id: cid ? containerIdText(cid) : null,
    container_type: d ? (containerType(d) ?? null) : null,
    tty: d ? launchedWithTty(d) : false,
    user: d?.user ?? view.user ?? index.frameworks.find((f) => f.id === view.frameworkId)?.user ?? null,
    sandbox,
    sandbox_virtual: agent && !predatesVirtualPaths(agent.version) ? virtualSandboxPath(view) : null,
    resources: {
      cpus: r?.cpus ?? null,
      mem_bytes: r?.mem === undefined ? null : Math.round(r.mem * MB),
      disk_bytes: r?.disk === undefined ? null : Math.round(r.disk * MB),
      gpus: r?.gpus ?? null,
      ports: (r?.ports ?? []).map(([begin, end]) => ({ begin, end })),
    },
    labels: d?.labels ?? [],
    discovery: discoveryStory(d?.discovery),
    health_check: d?.healthCheck ?? null,
    healthy: last?.healthy ?? null,
    failure: failed ? statusStory(failed) : null,
    statuses: statuses.map(statusStory),
  }
}

/** The real sandbox directory, or null when it is gone or its agent is no longer listed; an unreadable agent is a problem. */
async function sandboxOf(deps: Deps, locator: SandboxLocator, view: TaskView, problems: string[]): Promise<string | null> {
  let sandbox
  try {
    sandbox = locator.open(view)
  } catch {
    return null
  }
  try {
    return (await sandbox.realRoot()) ?? null
  } catch (err) {
    deps.io.warn(`cannot read the sandbox of task ${view.id} from agent ${sandbox.agent.hostname}: ${(err as Error).message}`)
    problems.push(sandbox.agent.hostname)
    return null
  }
}

async function details(deps: Deps, views: TaskView[]): Promise<Array<TaskDetail | undefined>> {
  const v1 = await fetchV1Tasks(deps, views)
  if ('tasks' in v1) return views.map((v) => lookup(v1.tasks, v.frameworkId, v.id))
  deps.io.note(`mesos: ${v1.unavailable}; statuses are shown without source, reason and message (v0 state has none)`)
  return Promise.all(views.map((v) => fetchV0Task(deps, v.frameworkId, v.id)))
}

export async function describeTasks(deps: Deps, q: { filter: string; inactive: boolean }): Promise<DescribeResult> {
  const { index, tasks, locator } = await findTargets(deps, { ...q, frameworks: true })
  const problems: string[] = []
  const [found, sandboxes] = await Promise.all([
    details(deps, tasks),
    Promise.all(tasks.map((t) => sandboxOf(deps, locator, t, problems))),
  ])
  const stories = tasks.map((t, i) => story(t, found[i], index, sandboxes[i]!))
  const hosts = [...new Set(problems)]
  return {
    tasks: stories,
    ...(hosts.length > 0 ? { problem: failure(`sandboxes unknown for tasks on ${hosts.length} agent(s): ${hosts.join(', ')}`) } : {}),
  }
}
