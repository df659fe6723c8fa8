/**
 * From a task to its sandbox on its agent. Agents since 1.5 attach every executor run at the
 * virtual path `/frameworks/<fw>/executors/<executor>/runs/latest`, which needs no agent state;
 * older agents (or a path that is missing) fall back to the executor's `directory` from the agent's
 * `/state`, the way the web UI does. Task-group tasks live under `tasks/<task-id>` of the executor
 * sandbox.
 */
import { posix } from 'node:path'
import type { Deps } from '../deps/index.js'
import { failure } from '../errors.js'
import { agentEndpoint, agentProcessId } from '../tasks/agents.js'
import type { AgentView, TaskIndex, TaskView } from '../tasks/model.js'
import { AgentFiles } from './files.js'

export class SandboxGone extends Error {
  constructor(
    readonly task: TaskView,
    readonly agent: AgentView,
  ) {
    super(`the sandbox of task ${task.id} on ${agent.hostname} is gone (garbage-collected or never created)`)
  }
}

interface AgentStateExecutor {
  id?: string
  directory?: string
  type?: string
}
interface AgentStateFramework {
  id?: string
  executors?: AgentStateExecutor[]
  completed_executors?: AgentStateExecutor[]
}
export interface AgentState {
  frameworks?: AgentStateFramework[]
  completed_frameworks?: AgentStateFramework[]
}

/** The executor's sandbox directory in an agent's state: running executors first, then the newest completed run. */
export function findExecutorDirectory(state: AgentState, frameworkId: string, executorId: string): string | undefined {
  const frameworks = [...(state.frameworks ?? []), ...(state.completed_frameworks ?? [])].filter((f) => f.id === frameworkId)
  for (const fw of frameworks) {
    const running = (fw.executors ?? []).find((e) => e.id === executorId && e.directory)
    if (running) return running.directory
  }
  for (const fw of frameworks) {
    const done = (fw.completed_executors ?? []).filter((e) => e.id === executorId && e.directory)
    if (done.length > 0) return done.at(-1)!.directory
  }
  return undefined
}

export function virtualSandboxPath(task: TaskView): string {
  const base = `/frameworks/${task.frameworkId}/executors/${task.executorId}/runs/latest`
  return task.taskGroup ? `${base}/tasks/${task.id}` : base
}

/** `1.4.1` → true when older than 1.5 (no virtual sandbox paths). Unknown versions are assumed new. */
export function predatesVirtualPaths(version: string | undefined): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '')
  if (!m) return false
  const major = Number(m[1])
  return major === 0 || (major === 1 && Number(m[2]) < 5)
}

export function joinSandbox(root: string, rel: string): string {
  const clean = rel.replace(/^\.?\/+/, '')
  return clean === '' || clean === '.' ? root : posix.join(root, clean)
}

/** Sandboxes of the tasks of one run; agent states are fetched at most once per agent. */
export class SandboxLocator {
  private readonly states = new Map<string, Promise<AgentState>>()
  private readonly files = new Map<string, AgentFiles>()

  constructor(
    private readonly deps: Deps,
    private readonly index: Pick<TaskIndex, 'agents'>,
  ) {}

  agentFor(task: TaskView): AgentView {
    const agent = this.index.agents.find((a) => a.id === task.agentId)
    if (!agent) throw failure(`task ${task.id} runs on agent ${task.agentId || '(none)'}, which the master does not list`)
    return agent
  }

  filesOf(agent: AgentView): AgentFiles {
    let f = this.files.get(agent.id)
    if (!f) {
      f = new AgentFiles(this.deps.http(), agentEndpoint({ ...agent, pid: agent.pid ?? '' }, this.deps.settings.profile.scheme))
      this.files.set(agent.id, f)
    }
    return f
  }

  private agentState(agent: AgentView): Promise<AgentState> {
    let p = this.states.get(agent.id)
    if (!p) {
      const files = this.filesOf(agent)
      p = this.deps.http().getJson<AgentState>(files.endpoint, `/${agentProcessId({ pid: agent.pid ?? '' })}/state`)
      this.states.set(agent.id, p)
    }
    return p
  }

  /** Drops the cached state of an agent (a sandbox that was not there yet may be now). */
  forget(agentId: string): void {
    this.states.delete(agentId)
  }

  open(task: TaskView): TaskSandbox {
    const agent = this.agentFor(task)
    return new TaskSandbox(task, agent, this.filesOf(agent), () => this.agentState(agent))
  }
}

export class TaskSandbox {
  private directory?: Promise<string | undefined>
  /** Set once the virtual path has failed where the real directory worked: skip it from then on. */
  private realOnly: boolean

  constructor(
    readonly task: TaskView,
    readonly agent: AgentView,
    readonly files: AgentFiles,
    private readonly agentState: () => Promise<AgentState>,
  ) {
    this.realOnly = predatesVirtualPaths(agent.version)
  }

  /** The sandbox's real directory on the agent, from the agent's state; undefined when it is gone. */
  realRoot(): Promise<string | undefined> {
    this.directory ??= this.agentState().then((state) => {
      const dir = findExecutorDirectory(state, this.task.frameworkId, this.task.executorId)
      return dir === undefined ? undefined : this.task.taskGroup ? `${dir}/tasks/${this.task.id}` : dir
    })
    return this.directory
  }

  /**
   * Runs `op` on the sandbox path of `rel`: first under the virtual path, then (when that says "not
   * found") under the real directory. `undefined` means the file does not exist in an existing
   * sandbox; a sandbox that cannot be found at all throws SandboxGone.
   */
  async at<T>(rel: string, op: (path: string) => Promise<T | undefined>): Promise<T | undefined> {
    if (!this.realOnly) {
      const viaVirtual = await op(joinSandbox(virtualSandboxPath(this.task), rel))
      if (viaVirtual !== undefined) return viaVirtual
    }
    const root = await this.realRoot()
    if (root === undefined) throw new SandboxGone(this.task, this.agent)
    const viaReal = await op(joinSandbox(root, rel))
    if (viaReal !== undefined) this.realOnly = true
    // Not found: a missing file, or a sandbox garbage-collected while the agent still lists it.
    else if (rel.replace(/^\.?\/+/, '') !== '' && (await this.files.browse(root)) === undefined) {
      throw new SandboxGone(this.task, this.agent)
    }
    return viaReal
  }
}
