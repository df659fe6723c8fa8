/**
 * The cluster's state machine: frameworks, agents, executors and tasks, with state transitions as
 * the Mesos master records them, and change events for v1 SUBSCRIBE and the sandbox writers.
 */
import { EventEmitter } from 'node:events'
import { join } from 'node:path'
import {
  type Agent,
  type Executor,
  type Framework,
  fixed,
  isTerminal,
  type Label,
  type Resources,
  type Task,
  type TaskState,
  type TaskStatus,
} from './model.js'
import type { Random } from './random.js'

export interface ClusterEvents {
  task_added: [Task]
  task_updated: [Task, TaskStatus]
  agent_added: [Agent]
  agent_removed: [Agent]
  framework_added: [Framework]
  framework_updated: [Framework]
  framework_removed: [Framework]
  executor_added: [Executor]
}

export interface LaunchSpec {
  framework: Framework
  agent: Agent
  id?: string
  name?: string
  resources?: Partial<Resources>
  command?: string
  kind?: string
  logs?: string[]
  /** launch into this DEFAULT executor (a task group) instead of a new command executor */
  executor?: Executor
  labels?: Label[]
  container?: Record<string, unknown>
  discovery?: Record<string, unknown>
  /** seconds since the epoch of the first status; default now */
  at?: number
  /** stop here: TASK_STAGING (no statuses), TASK_STARTING or TASK_RUNNING (default) */
  until?: 'TASK_STAGING' | 'TASK_STARTING' | 'TASK_RUNNING'
  user?: string
  /** with a TTY (`container.tty_info`): the command really runs, under a pty */
  tty?: boolean
}

export interface ClusterLimits {
  maxCompletedTasksPerFramework: number
  maxCompletedFrameworks: number
  maxCompletedExecutorsPerFramework: number
}

const now = (): number => Date.now() / 1000

/** One flat string: `join` and templates leave a tree of pieces, ~800 bytes a sandbox path. */
const scratch = Buffer.alloc(4096)
function flat(s: string): string {
  if (s.length <= scratch.length && !/[^\x00-\xff]/.test(s)) {
    scratch.write(s, 0, 'latin1')
    return scratch.toString('latin1', 0, s.length)
  }
  return /[\ud800-\udfff]/.test(s) ? s : Buffer.from(s, 'utf8').toString('utf8')
}
/** A path segment `join` would keep as it is. */
const plain = (seg: string): boolean => seg !== '' && seg !== '.' && seg !== '..' && !seg.includes('/')

// shared by the tasks that take the defaults (never mutated; frozen so a change would throw)
const MESOS_CONTAINER = Object.freeze({ type: 'MESOS', mesos: Object.freeze({}) }) as Record<string, unknown>
const STD_LOGS = Object.freeze(['stdout', 'stderr']) as unknown as string[]
// a new executor's completed tasks: replaced (never pushed to) when its first task ends
const NONE = Object.freeze([]) as unknown as Task[]

/** `xs` and `x` in an array of exact size: a pushed-to empty array reserves 17 slots, 1,000,000 times. */
function appended<T>(xs: T[], x: T): T[] {
  if (xs.length === 0) return [x]
  if (xs.length === 1) return [xs[0]!, x]
  return xs.concat(x)
}

export class Cluster extends EventEmitter<ClusterEvents> {
  readonly agents = new Map<string, Agent>()
  readonly frameworks = new Map<string, Framework>()
  readonly completedFrameworks: Framework[] = []
  private nextFramework = 0
  /**
   * The tasks the master knows, by ID: a lookup must not scan 1,000,000 of them. Built at the first
   * lookup (a scenario's bulk launches need none), then kept up to date.
   */
  private byId?: Map<string, Task | Task[]>
  /** `<workdir>/slaves/<agent>/frameworks/<framework>/executors`, by agent and framework */
  private readonly executorsDirs = new WeakMap<Agent, Map<string, string>>()
  private nextAgent = 0
  /** a launch's resources as task and command executor hold them, shared while the spec object is */
  private readonly sharedResources = new WeakMap<Partial<Resources>, { task: Resources; executor: Resources }>()
  readonly limits: ClusterLimits = {
    maxCompletedTasksPerFramework: 1000,
    maxCompletedFrameworks: 50,
    maxCompletedExecutorsPerFramework: 150,
  }

  constructor(
    readonly masterId: string,
    readonly workdir: string,
    readonly rng: Random,
  ) {
    super()
    this.setMaxListeners(0)
  }

  frameworkId(): string {
    return `${this.masterId}-${String(this.nextFramework++).padStart(4, '0')}`
  }

  agentId(): string {
    return `${this.masterId}-S${this.nextAgent++}`
  }

  /** `announce: false` defers AGENT_ADDED until the caller emits it (once the agent has a port). */
  addAgent(a: Omit<Agent, 'executors' | 'active' | 'unreachable' | 'stopped' | 'slowMs'>, announce = true): Agent {
    const agent: Agent = { ...a, executors: [], active: true, unreachable: false, stopped: false, slowMs: 0 }
    this.agents.set(agent.id, agent)
    if (announce) this.emit('agent_added', agent)
    return agent
  }

  /**
   * The master stops hearing from the agent (`markUnreachable`): it leaves `slaves`, counts in
   * `unreachable_slaves`, and its tasks become TASK_UNREACHABLE. No AGENT_REMOVED in this path.
   */
  markUnreachable(agent: Agent, at = now()): void {
    agent.unreachable = true
    for (const ex of agent.executors)
      for (const t of [...ex.tasks])
        this.update(t, 'TASK_UNREACHABLE', { at, reason: 'REASON_SLAVE_REMOVED', source: 'SOURCE_MASTER' })
  }

  /** The agent re-registers: its tasks report TASK_RUNNING again (AGENT_ADDED on re-registration). */
  reregister(agent: Agent, at = now()): void {
    if (!agent.unreachable) return
    agent.unreachable = false
    agent.reregisteredTime = at
    this.emit('agent_added', agent)
    for (const ex of agent.executors)
      for (const t of [...ex.tasks])
        if (t.state === 'TASK_UNREACHABLE') this.update(t, 'TASK_RUNNING', { at, reason: 'REASON_AGENT_REREGISTERED' })
  }

  /** Master-side removal (`_removeSlave`): the only path that emits AGENT_REMOVED. */
  removeAgent(agent: Agent): void {
    for (const ex of agent.executors)
      for (const t of [...ex.tasks])
        this.update(t, 'TASK_LOST', { reason: 'REASON_SLAVE_REMOVED', source: 'SOURCE_MASTER' })
    this.agents.delete(agent.id)
    this.emit('agent_removed', agent)
  }

  addFramework(f: Partial<Framework> & { name: string }, at = now()): Framework {
    const fw: Framework = {
      id: f.id ?? this.frameworkId(),
      user: 'root',
      hostname: '127.0.0.1',
      capabilities: [],
      webuiUrl: '',
      registeredTime: at,
      unregisteredTime: 0,
      active: true,
      connected: true,
      failoverTimeout: 0,
      checkpoint: false,
      completed: false,
      tasks: new Set(),
      unreachableTasks: new Set(),
      completedTasks: [],
      nextTask: 0,
      role: f.roles ? undefined : '*',
      ...f,
    }
    this.frameworks.set(fw.id, fw)
    this.emit('framework_added', fw)
    return fw
  }

  /** Teardown: running tasks are killed and the framework moves to completed_frameworks. */
  completeFramework(fw: Framework, at = now()): void {
    for (const t of [...fw.tasks, ...fw.unreachableTasks])
      this.update(t, 'TASK_KILLED', { at, reason: 'REASON_FRAMEWORK_REMOVED' })
    fw.completed = true
    fw.active = false
    fw.connected = false
    fw.unregisteredTime = at
    this.frameworks.delete(fw.id)
    this.completedFrameworks.push(fw)
    if (this.completedFrameworks.length > this.limits.maxCompletedFrameworks) {
      const gone = this.completedFrameworks.shift()
      for (const t of gone?.completedTasks ?? []) this.unindex(t)
    }
    this.emit('framework_removed', fw)
  }

  sandboxOf(agent: Agent, fwId: string, execId: string, containerId: string): string {
    let dirs = this.executorsDirs.get(agent)
    if (!dirs) this.executorsDirs.set(agent, (dirs = new Map()))
    let base = dirs.get(fwId)
    if (base === undefined) dirs.set(fwId, (base = join(this.workdir, 'slaves', agent.id, 'frameworks', fwId, 'executors')))
    if (plain(execId) && plain(containerId)) return flat(`${base}/${execId}/runs/${containerId}`)
    return flat(join(base, execId, 'runs', containerId))
  }

  /** A DEFAULT executor for task groups (pods). */
  addExecutor(
    fw: Framework,
    agent: Agent,
    id: string,
    opts: { name?: string; resources?: Partial<Resources>; at?: number } = {},
  ): Executor {
    const containerId = this.rng.uuid()
    const ex: Executor = {
      id,
      name: opts.name ?? '',
      source: '',
      frameworkId: fw.id,
      agentId: agent.id,
      type: 'DEFAULT',
      containerId,
      directory: this.sandboxOf(agent, fw.id, id, containerId),
      resources: { cpus: 0.1, mem: 32, disk: 10, gpus: 0, ...opts.resources },
      role: fw.role ?? fw.roles?.[0] ?? '*',
      tasks: [],
      completedTasks: [],
      done: false,
      materialized: false,
      launchedAt: opts.at ?? now(),
    }
    agent.executors.push(ex)
    this.emit('executor_added', ex)
    return ex
  }

  launch(spec: LaunchSpec): Task {
    const { framework: fw, agent } = spec
    const at = spec.at ?? now()
    const id = spec.id ?? `task-${String(fw.nextTask++).padStart(5, '0')}`
    const command = spec.command ?? 'sleep 3600'
    const { task: resources, executor: executorResources } = this.resourcesOf(spec.resources)
    let ex = spec.executor
    let executorId = ''
    let sandbox: string
    let containerId: string
    if (ex) {
      executorId = ex.id
      containerId = this.rng.uuid()
      sandbox = join(ex.directory, 'tasks', id)
    } else {
      containerId = this.rng.uuid()
      const shown = command.length > 15 ? `${command.slice(0, 12)}...` : command
      ex = {
        id,
        name: flat(`Command Executor (Task: ${id}) (Command: sh -c '${shown}')`),
        source: id,
        frameworkId: fw.id,
        agentId: agent.id,
        type: 'COMMAND',
        containerId,
        directory: this.sandboxOf(agent, fw.id, id, containerId),
        resources: executorResources,
        role: fw.role ?? fw.roles?.[0] ?? '*',
        tasks: [],
        completedTasks: NONE,
        done: false,
        materialized: false,
        launchedAt: at,
      }
      agent.executors.push(ex)
      sandbox = ex.directory
      this.emit('executor_added', ex)
    }
    const task: Task = {
      id,
      name: spec.name ?? id,
      frameworkId: fw.id,
      agentId: agent.id,
      executorId,
      executor: ex,
      state: 'TASK_STAGING',
      statuses: [],
      resources,
      role: fw.role ?? fw.roles?.[0] ?? '*',
      user: spec.user,
      labels: spec.labels,
      container: spec.container ?? (spec.tty ? { type: 'MESOS', mesos: {}, tty_info: {} } : MESOS_CONTAINER),
      discovery: spec.discovery,
      command,
      sandbox,
      logs: spec.logs ?? STD_LOGS,
      containerId,
      kind: spec.kind ?? 'generic',
      tty: spec.tty || undefined,
    }
    ex.tasks = appended(ex.tasks, task)
    fw.tasks.add(task)
    this.index(task)
    this.emit('task_added', task)
    const until = spec.until ?? 'TASK_RUNNING'
    if (until !== 'TASK_STAGING') {
      this.update(task, 'TASK_STARTING', { at: at + 0.05 })
      if (until === 'TASK_RUNNING') this.update(task, 'TASK_RUNNING', { at: at + 0.5 + this.rng.next() })
    }
    return task
  }

  /**
   * Full resources of a task and of its command executor (+0.1 cpus, +32 MB), shared (frozen)
   * between the launches given the same `spec.resources` object, as a scenario's bulk launches are.
   */
  private resourcesOf(spec: Partial<Resources> | undefined): { task: Resources; executor: Resources } {
    const had = spec && this.sharedResources.get(spec)
    if (had) return had
    const task: Resources = { cpus: 0.1, mem: 32, disk: 0, gpus: 0, ...spec }
    const both = { task, executor: { ...task, cpus: fixed(task.cpus + 0.1), mem: fixed(task.mem + 32) } }
    if (!spec || !Object.isFrozen(spec)) return both
    Object.freeze(task)
    Object.freeze(both.executor)
    this.sharedResources.set(spec, both)
    return both
  }

  update(
    task: Task,
    state: TaskState,
    opts: {
      at?: number
      message?: string
      reason?: string
      source?: TaskStatus['source']
      healthy?: boolean
    } = {},
  ): TaskStatus | undefined {
    if (isTerminal(task.state)) return undefined
    const source = opts.source ?? 'SOURCE_EXECUTOR'
    const fromExecutor = source === 'SOURCE_EXECUTOR'
    // every field in the literal: one added later moves them all to a second object
    const status: TaskStatus = {
      state,
      timestamp: opts.at ?? now(),
      uuid: this.rng.base64Id(),
      source,
      reason: opts.reason,
      message: opts.message,
      healthy: opts.healthy,
      containerId: fromExecutor ? task.containerId : undefined,
      parentContainerId: fromExecutor && task.executor.type === 'DEFAULT' ? task.executor.containerId : undefined,
      ip: fromExecutor && state === 'TASK_RUNNING' ? '127.0.0.1' : undefined,
    }
    const changed = state !== task.state
    // Master::updateTask: a status with the same state as the last one replaces it.
    const last = task.statuses[task.statuses.length - 1]
    if (last && last.state === state) task.statuses = appended(task.statuses.slice(0, -1), status)
    else task.statuses = appended(task.statuses, status)
    task.state = state
    const fw = this.framework(task.frameworkId)
    if (fw && state === 'TASK_UNREACHABLE' && fw.tasks.delete(task)) fw.unreachableTasks.add(task)
    else if (fw && state !== 'TASK_UNREACHABLE' && fw.unreachableTasks.delete(task) && !isTerminal(state))
      fw.tasks.add(task)
    if (isTerminal(state)) this.retire(task)
    if (changed || opts.healthy !== undefined) this.emit('task_updated', task, status)
    return status
  }

  private retire(task: Task): void {
    const fw =
      this.frameworks.get(task.frameworkId) ?? this.completedFrameworks.find((f) => f.id === task.frameworkId)
    if (fw) {
      fw.tasks.delete(task)
      fw.unreachableTasks.delete(task)
      fw.completedTasks.push(task)
      if (fw.completedTasks.length > this.limits.maxCompletedTasksPerFramework) this.unindex(fw.completedTasks.shift())
    }
    const ex = task.executor
    ex.tasks = ex.tasks.filter((t) => t !== task)
    ex.completedTasks = appended(ex.completedTasks.slice(-199), task)
    if (ex.tasks.length === 0 && (ex.type === 'COMMAND' || ex.completedTasks.length > 0)) {
      ex.done = true
      const agent = this.agents.get(ex.agentId)
      if (agent) this.pruneExecutors(agent, ex.frameworkId)
    }
  }

  private pruneExecutors(agent: Agent, fwId: string): void {
    const done = agent.executors.filter((e) => e.done && e.frameworkId === fwId)
    const excess = done.length - this.limits.maxCompletedExecutorsPerFramework
    if (excess > 0) {
      const drop = new Set(done.slice(0, excess))
      agent.executors = agent.executors.filter((e) => !drop.has(e))
    }
  }

  /** Every task the master knows: active and completed, of registered and completed frameworks. */
  *allTasks(): Generator<Task> {
    for (const fw of [...this.frameworks.values(), ...this.completedFrameworks]) {
      yield* fw.tasks
      yield* fw.unreachableTasks
      yield* fw.completedTasks
    }
  }

  private index(t: Task): void {
    const byId = this.byId
    if (!byId) return
    const had = byId.get(t.id)
    byId.set(t.id, had === undefined ? t : Array.isArray(had) ? [...had, t] : [had, t])
  }

  private unindex(t: Task | undefined): void {
    const had = t && this.byId?.get(t.id)
    if (!t || had === undefined) return
    const rest = (Array.isArray(had) ? had : [had]).filter((x) => x !== t)
    if (rest.length === 0) this.byId!.delete(t.id)
    else this.byId!.set(t.id, rest.length === 1 ? rest[0]! : rest)
  }

  /** The tasks with this ID, in `allTasks` order. */
  tasksById(id: string): Task[] {
    if (!this.byId) {
      this.byId = new Map()
      for (const t of this.allTasks()) this.index(t)
    }
    const had = this.byId.get(id)
    if (had === undefined) return []
    if (!Array.isArray(had)) return [had]
    const want = new Set(had)
    return [...this.allTasks()].filter((t) => want.has(t))
  }

  findTask(id: string): Task | undefined {
    const ts = this.tasksById(id)
    return ts.find((t) => !isTerminal(t.state)) ?? ts[0]
  }

  framework(id: string): Framework | undefined {
    return this.frameworks.get(id) ?? this.completedFrameworks.find((f) => f.id === id)
  }
}

/** NAME_MAX: an ID names a directory. */
const ID_MAX_BYTES = 255

/**
 * Why Mesos refuses an ID (common/validation.cpp validateID), or undefined: task, executor and
 * framework IDs become sandbox path components, so `.`/`..`, slashes (either way) and control
 * characters are out.
 */
export function idError(id: string): string | undefined {
  if (id === '') return 'ID must not be empty'
  if (Buffer.byteLength(id, 'utf8') > ID_MAX_BYTES) return `ID must not be greater than ${ID_MAX_BYTES} characters`
  if (id === '.' || id === '..') return `'${id}' is disallowed`
  if (/[\x00-\x1f\x7f/\\]/.test(id)) return `'${id}' contains invalid characters`
  return undefined
}
