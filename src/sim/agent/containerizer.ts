/**
 * One agent's containers as the Mesos containerizer and I/O switchboard know them (1.11,
 * `src/slave/containerizer/mesos/containerizer.cpp`, `io/switchboard.cpp`).
 *
 * Containers of ordinary tasks are simulated (no process): they exist while their executor or
 * task runs, can be waited on, and have no I/O switchboard (it runs only for DEBUG containers and
 * containers with a TTY: `IOSwitchboard::requiresServer`). Containers that really run are the
 * nested DEBUG containers of LAUNCH_NESTED_CONTAINER_SESSION and tasks launched with a TTY: each
 * is a process group of its own, destroyed as a whole. They outlive the agent's HTTP server
 * (stopAgent/startAgent), as containers outlive an agent process.
 */
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ServerResponse } from 'node:http'
import type { Agent, Executor, Task } from '../model.js'
import { isTerminal } from '../model.js'
import { materialize, taskFile } from '../sandbox.js'
import type { World } from '../world.js'
import { type Command, type ContainerProcess, launch } from './process.js'
import { makeDirsSync } from '../../core/dirs.js'

export interface ContainerRef {
  value: string
  parent?: ContainerRef
}

export function refOf(v: unknown): ContainerRef | undefined {
  const o = v as { value?: unknown; parent?: unknown } | undefined
  if (typeof o?.value !== 'string' || o.value === '') return undefined
  const parent = o.parent === undefined ? undefined : refOf(o.parent)
  if (o.parent !== undefined && !parent) return undefined
  return parent ? { value: o.value, parent } : { value: o.value }
}

/** `stringify(ContainerID)`: the parent chain joined with '.' */
export function nameOf(id: ContainerRef): string {
  return id.parent ? `${nameOf(id.parent)}.${id.value}` : id.value
}

const rootOf = (id: ContainerRef): ContainerRef => (id.parent ? rootOf(id.parent) : id)
const depth = (id: ContainerRef): number => (id.parent ? 1 + depth(id.parent) : 0)

export interface Live {
  id: ContainerRef
  name: string
  tty: boolean
  debug: boolean
  task?: Task
  /** working directory of its processes (a DEBUG container's is its parent's) */
  workdir: string
  proc: ContainerProcess
  outputs: Set<ServerResponse>
  inputAttached: boolean
  /** wait(2) status once it terminated */
  status?: number
  done: Promise<number>
}

/** What a ContainerID names on this agent. */
export type Found =
  | { kind: 'live'; c: Live }
  /** an executor's (top-level) container */
  | { kind: 'executor'; ex: Executor }
  /** a task of a DEFAULT executor: a nested container of the executor's */
  | { kind: 'task'; task: Task; ex: Executor }

export class Containerizer {
  readonly live = new Map<string, Live>()
  private readonly waiters = new Set<() => void>()

  /** WAIT_CONTAINER calls waiting for a simulated container (for tests: the call has arrived) */
  get waiting(): number {
    return this.waiters.size
  }

  constructor(
    private readonly w: World,
    private readonly agent: Agent,
  ) {}

  /** A task of this agent changed state (one cluster listener dispatches by agent: 10,000 agents). */
  taskUpdated(t: Task): void {
    if (this.live.size > 0 && isTerminal(t.state)) for (const c of this.live.values()) if (c.task === t) c.proc.destroy()
    if (this.waiters.size > 0) for (const wake of [...this.waiters]) wake()
  }

  /** `Slave::getExecutor(ContainerID)`: the running executor whose container is this ID's root. */
  executorOf(id: ContainerRef): Executor | undefined {
    const root = rootOf(id).value
    return this.agent.executors.find((ex) => !ex.done && ex.containerId === root)
  }

  /** A container the containerizer knows (`containers_`), terminated ones excluded. */
  find(id: ContainerRef): Found | undefined {
    const c = this.live.get(nameOf(id))
    if (c) return c.status === undefined ? { kind: 'live', c } : undefined
    const ex = this.executorOf(id)
    if (!ex) return undefined
    if (!id.parent) return { kind: 'executor', ex }
    if (ex.type !== 'DEFAULT' || depth(id) !== 1) return undefined
    const task = ex.tasks.find((t) => t.containerId === id.value)
    return task ? { kind: 'task', task, ex } : undefined
  }

  /** The working directory and MESOS_SANDBOX of a container's processes (containerizer.cpp `_launch`). */
  private dirsOf(f: Found): { workdir: string; sandbox: string } {
    if (f.kind === 'live') return { workdir: f.c.workdir, sandbox: f.c.workdir }
    materialize(f.ex, this.w.behaviour.version)
    if (f.kind === 'executor') return { workdir: f.ex.directory, sandbox: f.ex.directory }
    const dir = join(f.ex.directory, 'containers', f.task.containerId)
    return { workdir: dir, sandbox: dir }
  }

  /**
   * `MesosContainerizerProcess::launch` for a DEBUG container: its sandbox is created under the
   * root's (`containers/<id>` per level, `paths::getSandboxPath`), but it runs in its parent's
   * working directory and inherits its parent's MESOS_SANDBOX.
   */
  launchDebug(
    id: ContainerRef & { parent: ContainerRef },
    cmd: Command,
    tty: boolean,
  ): { ok: Live } | { failure: string } {
    const parent = this.find(id.parent)
    if (!parent) return { failure: `Parent container ${nameOf(id.parent)} does not exist` }
    const ex = this.executorOf(id)!
    materialize(ex, this.w.behaviour.version)
    const { workdir, sandbox } = this.dirsOf(parent)
    const chain: string[] = []
    for (let p: ContainerRef | undefined = id; p?.parent; p = p.parent) chain.unshift(p.value)
    const nested = join(ex.directory, ...chain.flatMap((v) => ['containers', v]))
    try {
      makeDirsSync(nested)
    } catch (e) {
      return { failure: `Failed to create nested sandbox '${nested}': ${(e as Error).message}` }
    }
    const env = { ...process.env, ...this.executorEnv(ex), MESOS_SANDBOX: sandbox }
    const c = this.start(id, launch(cmd, { cwd: workdir, env, tty }), { tty, debug: true, workdir })
    return { ok: c }
  }

  /** A task launched with a TTY (`ContainerInfo.tty_info`): its process runs under a pty. */
  startTtyTask(task: Task): void {
    const ex = task.executor
    if (ex.type !== 'COMMAND' || isTerminal(task.state) || this.live.has(ex.containerId)) return
    materialize(ex, this.w.behaviour.version)
    const env = { ...process.env, ...this.executorEnv(ex), MESOS_SANDBOX: ex.directory }
    let proc: ContainerProcess
    try {
      proc = launch({ shell: true, value: task.command, arguments: [] }, { cwd: ex.directory, env, tty: true })
    } catch (e) {
      this.w.cluster.update(task, 'TASK_FAILED', {
        message: `Failed to launch container: ${(e as Error).message}`,
        reason: 'REASON_CONTAINER_LAUNCH_FAILED',
      })
      return
    }
    const c = this.start({ value: ex.containerId }, proc, { tty: true, debug: false, workdir: ex.directory, task })
    // the switchboard also writes a TTY container's output to the container logger: the sandbox's stdout
    const stdout = taskFile(task, 'stdout')
    proc.onOutput((_kind, bytes) => {
      try {
        appendFileSync(stdout, bytes)
      } catch {
        // the sandbox was removed under us
      }
    })
    void c.done.then((status) => {
      if (isTerminal(task.state)) return
      const signal = status & 0x7f
      if (status === 0) this.w.cluster.update(task, 'TASK_FINISHED', { message: 'Command exited with status 0' })
      else
        this.w.cluster.update(task, 'TASK_FAILED', {
          message: signal ? `Command terminated with signal ${signalName(signal)}` : `Command exited with status ${status >> 8}`,
          reason: 'REASON_COMMAND_EXECUTOR_FAILED',
        })
    })
  }

  private start(
    id: ContainerRef,
    proc: ContainerProcess,
    o: { tty: boolean; debug: boolean; workdir: string; task?: Task },
  ): Live {
    const c: Live = {
      id,
      name: nameOf(id),
      ...o,
      proc,
      outputs: new Set(),
      inputAttached: false,
      done: proc.exited,
    }
    this.live.set(c.name, c)
    void proc.exited.then((status) => {
      c.status = status
      for (const res of c.outputs) if (!res.writableEnded) res.end()
      c.outputs.clear()
      // a terminated top-level container is forgotten; a nested one keeps its checkpointed termination
      if (!id.parent) this.live.delete(c.name)
      for (const wake of [...this.waiters]) wake()
    })
    return c
  }

  /**
   * `MesosContainerizerProcess::wait`: the termination of a known container; for an unknown
   * nested one its checkpointed termination; otherwise undefined (404).
   */
  async wait(id: ContainerRef): Promise<number | undefined> {
    const c = this.live.get(nameOf(id))
    if (c) {
      await this.until(() => c.status !== undefined)
      return c.status
    }
    const f = this.find(id)
    if (!f) {
      const ex = this.executorOf(id)
      const t = ex?.completedTasks.find((x) => x.containerId === id.value)
      return ex?.type === 'DEFAULT' && depth(id) === 1 && t ? taskStatus(t) : undefined
    }
    if (f.kind === 'executor') {
      // the command executor exits 0 once its task is over
      await this.until(() => f.ex.done)
      return 0
    }
    if (f.kind === 'task') {
      const task = f.task
      await this.until(() => isTerminal(task.state))
      return taskStatus(task)
    }
    const live = f.c
    await this.until(() => live.status !== undefined)
    return live.status
  }

  private until(cond: () => boolean): Promise<void> {
    if (cond()) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = () => {
        if (!cond()) return
        this.waiters.delete(wake)
        resolve()
      }
      this.waiters.add(wake)
    })
  }

  /** The environment the agent gives an executor (`executorEnvironment`, src/slave/slave.cpp). */
  private executorEnv(ex: Executor): Record<string, string> {
    return {
      MESOS_FRAMEWORK_ID: ex.frameworkId,
      MESOS_EXECUTOR_ID: ex.id,
      MESOS_DIRECTORY: ex.directory,
      MESOS_SLAVE_ID: this.agent.id,
      MESOS_AGENT_ENDPOINT: `${this.agent.hostname}:${this.agent.port}`,
      MESOS_CHECKPOINT: '1',
    }
  }

  destroyAll(): void {
    for (const c of this.live.values()) if (c.status === undefined) c.proc.destroy()
  }
}

/** The termination status of a task's own process, from the executor's status message. */
function taskStatus(t: Task): number {
  const msg = t.statuses.at(-1)?.message ?? ''
  const exited = /exited with status (\d+)/.exec(msg)
  if (exited) return Number(exited[1]) << 8
  if (t.state === 'TASK_KILLED' || /signal/.test(msg)) return 15
  return t.state === 'TASK_FINISHED' ? 0 : 1 << 8
}

const SIGNAL_NAMES: Record<number, string> = { 1: 'Hangup', 2: 'Interrupt', 9: 'Killed', 15: 'Terminated' }
const signalName = (n: number): string => SIGNAL_NAMES[n] ?? `${n}`
