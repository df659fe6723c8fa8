/**
 * `startSimulator`: a simulated Mesos cluster (core.ts) with the controls tests and `mesos sim ctl`
 * drive — failover, agents going away and coming back, faults, task lifecycle, sandbox files — and
 * the accounting of the requests it served.
 */
import { appendFileSync, closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { matchingRequests, perAgent } from './accounting.js'
import { AgentServer } from './agent/server.js'
import { SimulatorCore } from './core.js'
import { idError } from './cluster.js'
import type { Fault, RequestRecord } from './http.js'
import type { Agent, Task } from './model.js'
import { isTerminal } from './model.js'
import type { LaunchOptions, MasterEndpoint, RequestFilter, SimulatorOptions } from './options.js'
import { materialize, taskFile } from './sandbox.js'
import { makeDirsSync } from '../core/dirs.js'

export * from './options.js'

export class Simulator extends SimulatorCore {
  // ----- controls --------------------------------------------------------------------------

  /** The leader loses its ZooKeeper session (or, without ZooKeeper, the next master takes over). */
  async failover(): Promise<MasterEndpoint> {
    const old = this.leadership.current
    if (this.election) {
      // a lone master is elected again after losing its session; otherwise another one takes over
      const next = this.leadership.next((i) => i !== old || this.world.masters.length === 1, 20_000)
      await this.election.failover()
      return this.masters[await next]!
    }
    const n = this.world.masters.length
    const next = old === undefined ? 0 : (old + 1) % n
    if (n === 1) this.onLeader(undefined)
    this.onLeader(next)
    return this.leader!
  }

  /** No master is elected (as when ZooKeeper loses quorum) until the next failover(). Static mode only. */
  noLeader(): void {
    if (this.election) throw new Error('noLeader() is for the static mode; stop ZooKeeper instead')
    this.onLeader(undefined)
  }

  agent(id: string): Agent {
    const a =
      this.cluster.agents.get(id) ?? [...this.cluster.agents.values()].find((x) => x.index === Number(id))
    if (!a) throw new Error(`no agent ${id}`)
    return a
  }

  /** Its port refuses connections until startAgent. */
  async stopAgent(id: string): Promise<void> {
    const a = this.agent(id)
    a.stopped = true
    await this.agentServers.get(a.id)!.stop()
  }

  async startAgent(id: string): Promise<void> {
    const a = this.agent(id)
    const srv = new AgentServer(this.world, a)
    await srv.start(a.port)
    this.agentServers.set(a.id, srv)
    a.stopped = false
  }

  slowAgent(id: string, ms: number): void {
    this.agent(id).slowMs = ms
  }

  /** A network partition: the agent's port goes dark and the master marks it unreachable. */
  async markAgentUnreachable(id: string): Promise<void> {
    await this.stopAgent(id)
    this.cluster.markUnreachable(this.agent(id))
  }

  /** The partition heals: the agent serves again and re-registers; its tasks are TASK_RUNNING again. */
  async reregisterAgent(id: string): Promise<void> {
    if (this.agent(id).stopped) await this.startAgent(id)
    this.cluster.reregister(this.agent(id))
  }

  /** The master removes the agent (AGENT_REMOVED; its tasks become TASK_LOST). */
  removeAgent(id: string): void {
    this.cluster.removeAgent(this.agent(id))
  }

  failEndpoint(
    path: string,
    status: number,
    opts: { target?: string; times?: number; body?: string } = {},
  ): void {
    const f: Fault = { path, status, ...opts }
    this.world.shared.faults.push(f)
  }

  clearFaults(): void {
    this.world.shared.faults.length = 0
  }

  task(id: string): Task {
    const t = this.cluster.findTask(id)
    if (!t) throw new Error(`no task ${id}`)
    return t
  }

  launchTask(o: LaunchOptions = {}): Task {
    const c = this.cluster
    const fw = o.framework
      ? [...c.frameworks.values()].find((f) => f.id === o.framework || f.name === o.framework)
      : [...c.frameworks.values()][0]
    if (!fw) throw new Error(`no framework ${o.framework ?? ''}`)
    const agents = [...c.agents.values()]
    const agent = o.agent ? this.agent(o.agent) : agents[Math.floor(c.rng.next() * agents.length)]!
    // the master answers a task with such an ID with TASK_ERROR, REASON_TASK_INVALID, and never adds it
    const invalid = o.id === undefined || o.unchecked ? undefined : idError(o.id)
    if (invalid) throw new Error(`TASK_ERROR (REASON_TASK_INVALID): ${invalid}`)
    return c.launch({
      framework: fw,
      agent,
      id: o.id,
      name: o.name,
      command: o.command,
      resources: { cpus: o.cpus ?? 0.1, mem: o.mem ?? 32 },
      logs: o.logs,
      kind: o.kind,
      until: o.until,
      tty: o.tty,
    })
  }

  killTask(id: string): void {
    const t = this.task(id)
    const fw = this.cluster.framework(t.frameworkId)
    if (fw?.capabilities.includes('TASK_KILLING_STATE')) this.cluster.update(t, 'TASK_KILLING')
    this.cluster.update(t, 'TASK_KILLED', { message: 'Command terminated with signal Terminated' })
  }

  failTask(id: string, message = 'Command exited with status 1'): void {
    this.cluster.update(this.task(id), 'TASK_FAILED', { message, reason: 'REASON_COMMAND_EXECUTOR_FAILED' })
  }

  finishTask(id: string): void {
    this.cluster.update(this.task(id), 'TASK_FINISHED', { message: 'Command exited with status 0' })
  }

  /**
   * Garbage-collects the sandbox of a task's executor as an agent does after --gc_delay: the
   * directory is removed and its paths detached, while the agent still lists the completed executor.
   */
  gcSandbox(taskId: string): void {
    const t = this.task(taskId)
    if (!isTerminal(t.state)) throw new Error(`task ${taskId} is still ${t.state}; only finished sandboxes are collected`)
    this.agentServers.get(t.executor.agentId)?.detach(t.executor)
    rmSync(t.executor.directory, { recursive: true, force: true })
  }

  /** The real path of a task's sandbox file (creating the sandbox if it was lazy). */
  sandboxPath(taskId: string, file = ''): string {
    const t = this.task(taskId)
    materialize(t.executor, this.world.behaviour.version)
    return file
      ? taskFile(t, file)
      : t.executor.type === 'DEFAULT'
        ? join(t.executor.directory, 'tasks', t.id)
        : t.sandbox
  }

  appendFile(taskId: string, file: string, data: string | Buffer): void {
    appendFileSync(this.sandboxPath(taskId, file), data)
  }

  truncateFile(taskId: string, file: string, size = 0): void {
    // like `: > file`: a missing file is created
    const fd = openSync(this.sandboxPath(taskId, file), 'a')
    try {
      ftruncateSync(fd, size)
    } finally {
      closeSync(fd)
    }
  }

  // ----- request accounting ----------------------------------------------------------------

  requests(filter: RequestFilter = {}): RequestRecord[] {
    return matchingRequests(this.world.shared.records, filter)
  }

  requestCount(filter: RequestFilter = {}): number {
    return this.requests(filter).length
  }

  /** Counts per agent ID of the requests matching `filter`. */
  requestsPerAgent(filter: Omit<RequestFilter, 'agent' | 'server'> = {}): Map<string, number> {
    return perAgent(this.requests({ ...filter, server: 'agents' }))
  }

  resetRequests(): void {
    this.world.shared.records.length = 0
  }

  /** Tasks in a non-terminal state. */
  activeTasks(): Task[] {
    return [...this.cluster.allTasks()].filter((t) => !isTerminal(t.state))
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const own = !options.workdir
  const workdir = options.workdir ?? mkdtempSync(join(tmpdir(), 'mesos-sim-'))
  makeDirsSync(workdir)
  const sim = new Simulator(options, workdir, own)
  try {
    await sim.start()
    await sim.waitForLeader()
  } catch (e) {
    await sim.stop()
    throw e
  }
  return sim
}
