/**
 * Typed views of tasks, frameworks and agents, built from the master's v0 `/master/state`: active,
 * unreachable and completed tasks of running and completed frameworks. The index is what task
 * matching and completion work on, so it keeps only what they and the sandbox locator need.
 */
import type { AgentInfo } from './agents.js'

export const TERMINAL_STATES = new Set([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
])

/** A task's state as read off the wire: Mesos always sends one; a task without it has not started. */
export const taskState = (v: unknown): string => (typeof v === 'string' ? v : 'TASK_STAGING')

export function isTerminal(state: string): boolean {
  return TERMINAL_STATES.has(state)
}

export interface TaskView {
  id: string
  name: string
  state: string
  frameworkId: string
  /** The executor's ID; for command tasks (`executor_id: ""`) the task ID, as the agent names it. */
  executorId: string
  /** True for tasks run by an explicit executor of type DEFAULT (task groups): sandbox under tasks/<id>. */
  taskGroup: boolean
  agentId: string
  user?: string
  /** First and last status timestamps, seconds since the epoch. */
  startedAt?: number
  updatedAt?: number
}

export interface FrameworkView {
  id: string
  name: string
  user: string
  hostname: string
  active: boolean
  completed: boolean
}

export type AgentView = Pick<AgentInfo, 'id' | 'hostname' | 'pid' | 'active' | 'version' | 'port'>

export interface TaskIndex {
  /** The master the index was read from, `host:port`. */
  master: string
  fetchedAt: number
  tasks: TaskView[]
  frameworks: FrameworkView[]
  agents: AgentView[]
}

interface V0Status {
  state?: string
  timestamp?: number
}
interface V0Task {
  id: string
  name?: string
  state?: string
  framework_id?: string
  executor_id?: string
  slave_id?: string
  user?: string
  statuses?: V0Status[]
}
interface V0Executor {
  executor_id?: string
  type?: string
}
interface V0Framework {
  id: string
  name?: string
  user?: string
  hostname?: string
  active?: boolean
  tasks?: V0Task[]
  unreachable_tasks?: V0Task[]
  completed_tasks?: V0Task[]
  executors?: V0Executor[]
}
export interface V0State {
  frameworks?: V0Framework[]
  completed_frameworks?: V0Framework[]
  slaves?: AgentInfo[]
}

export function taskView(t: V0Task, defaultExecutors: Set<string>): TaskView {
  const statuses = t.statuses ?? []
  const executorId = t.executor_id && t.executor_id !== '' ? t.executor_id : t.id
  const fw = t.framework_id ?? ''
  const view: TaskView = {
    id: t.id,
    name: t.name ?? '',
    state: taskState(t.state),
    frameworkId: fw,
    executorId,
    taskGroup: t.executor_id !== undefined && t.executor_id !== '' && defaultExecutors.has(`${fw}\0${t.executor_id}`),
    agentId: t.slave_id ?? '',
  }
  if (t.user) view.user = t.user
  const first = statuses[0]?.timestamp
  const last = statuses.at(-1)?.timestamp
  if (typeof first === 'number') view.startedAt = first
  if (typeof last === 'number') view.updatedAt = last
  return view
}

/** Builds the index from a parsed `/master/state`. */
export function indexFromState(state: V0State, master: string, now: number): TaskIndex {
  const tasks: TaskView[] = []
  const frameworks: FrameworkView[] = []
  const seen = new Set<string>()
  const add = (fw: V0Framework, completed: boolean) => {
    frameworks.push({
      id: fw.id,
      name: fw.name ?? '',
      user: fw.user ?? '',
      hostname: fw.hostname ?? '',
      active: fw.active ?? false,
      completed,
    })
    const defaults = new Set(
      (fw.executors ?? []).filter((e) => e.type === 'DEFAULT').map((e) => `${fw.id}\0${e.executor_id ?? ''}`),
    )
    for (const list of [fw.tasks, fw.unreachable_tasks, fw.completed_tasks]) {
      for (const t of list ?? []) {
        const key = `${fw.id}\0${t.id}`
        if (seen.has(key)) continue // a terminal task can be listed twice while unacknowledged
        seen.add(key)
        tasks.push(taskView({ ...t, framework_id: t.framework_id ?? fw.id }, defaults))
      }
    }
  }
  for (const fw of state.frameworks ?? []) add(fw, false)
  for (const fw of state.completed_frameworks ?? []) add(fw, true)
  tasks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.frameworkId < b.frameworkId ? -1 : 1))
  const agents: AgentView[] = (state.slaves ?? []).map((a) => ({
    id: a.id,
    hostname: a.hostname,
    pid: a.pid,
    ...(a.active !== undefined ? { active: a.active } : {}),
    ...(a.version !== undefined ? { version: a.version } : {}),
    ...(a.port !== undefined ? { port: a.port } : {}),
  }))
  return { master, fetchedAt: now, tasks, frameworks, agents }
}
