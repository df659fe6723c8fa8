/**
 * `startSimulator`: masters and agents as real HTTP(S) servers on loopback over one cluster model,
 * sandboxes on disk, optional ZooKeeper election, fault injection, and a clean `stop()`.
 */
import { appendFileSync, closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AgentServer } from './agent/server.js'
import { Cluster } from './cluster.js'
import { ZkElection } from './election.js'
import type { Acls, Fault, RequestRecord, Shared } from './http.js'
import { sortedJson } from './json.js'
import { MasterServer } from './master/server.js'
import type { Agent, Task } from './model.js'
import { isTerminal } from './model.js'
import { Random } from './random.js'
import { LogWriter, materialize, materializeTask, taskFile } from './sandbox.js'
import { type Scenario, type ScenarioSpec, scenarioFor } from './scenarios/index.js'
import { selfSigned } from './tls.js'
import { behaviour, type SimVersion } from './versions.js'
import { type MasterInfo, masterInfoProto, type World } from './world.js'

export interface SimulatorOptions {
  /** 'hello', 'flink' (default), 'scale', a path to a .json scenario, or a spec object */
  scenario?: string | ScenarioSpec
  masters?: number
  agents?: number
  /** scale scenario */
  frameworks?: number
  tasks?: number
  /** `zk://127.0.0.1:PORT/mesos`: register masters there and elect the lowest sequence */
  zk?: string
  /** first master port; 0 (default) picks free ports. Masters use port, port+1, ... */
  port?: number
  /** kept on stop() when given; a temporary directory (removed on stop) otherwise */
  workdir?: string
  seed?: number
  /** basic authentication; `principals` adds more credentials, `acls` denies actions (403) */
  auth?: { principal: string; secret: string; realms?: string[]; principals?: Record<string, string>; acls?: Acls }
  https?: boolean
  version?: SimVersion
  /** SUBSCRIBE heartbeat interval, default 15 */
  heartbeatSeconds?: number
  /** agent streaming (exec) heartbeat interval, default 30 */
  agentHeartbeatSeconds?: number
  /** how often running tasks append to their logs; 0 stops them; default 1000 */
  logIntervalMs?: number
  /** pace /metrics/snapshot and /monitor/statistics at 2 per second (as libprocess); default true */
  rateLimit?: boolean
  /** create every sandbox at start-up (default: scenario's choice) */
  eagerSandboxes?: boolean
  /** scripted events of the scenario (TaskManager failure, batch job finishing); default true */
  liveEvents?: boolean
}

export interface Endpoint {
  host: string
  port: number
  /** `http://127.0.0.1:5050` */
  url: string
  /** `127.0.0.1:5050` */
  address: string
}

export interface MasterEndpoint extends Endpoint {
  index: number
  id: string
  pid: string
}

export interface AgentEndpoint extends Endpoint {
  id: string
  pid: string
}

export interface RequestFilter {
  /** 'master:0', 'agent:<id>', 'masters', 'agents' */
  server?: string
  /** an agent ID (shorthand for server: 'agent:<id>') */
  agent?: string
  path?: string | RegExp
  /** the raw query string (`path=%2F...&offset=0`), exact or a pattern */
  query?: string | RegExp
  method?: string
}

export interface LaunchOptions {
  framework?: string
  agent?: string
  id?: string
  name?: string
  command?: string
  cpus?: number
  mem?: number
  logs?: string[]
  kind?: string
  until?: 'TASK_STAGING' | 'TASK_STARTING' | 'TASK_RUNNING'
  /** launched with a TTY: the command really runs under a pty (for attach) */
  tty?: boolean
}

export const ALL_REALMS = [
  'mesos-master-readonly',
  'mesos-master-readwrite',
  'mesos-agent-readonly',
  'mesos-agent-readwrite',
]

export class Simulator {
  readonly cluster: Cluster
  readonly world: World
  readonly masterServers: MasterServer[] = []
  readonly agentServers = new Map<string, AgentServer>()
  readonly scheme: 'http' | 'https'
  readonly workdir: string
  /** PEM file of the self-signed certificate (https mode) */
  caFile?: string
  private leaderIndex: number | undefined
  private election?: ZkElection
  private timers = new Set<NodeJS.Timeout>()
  private ownWorkdir: boolean
  private writer?: LogWriter
  private stopped = false
  private scenario?: Scenario

  constructor(
    readonly options: SimulatorOptions,
    workdir: string,
    ownWorkdir: boolean,
  ) {
    this.workdir = workdir
    this.ownWorkdir = ownWorkdir
    this.scheme = options.https ? 'https' : 'http'
    const rng = new Random(options.seed ?? Math.floor(Math.random() * 2 ** 32))
    const b = behaviour(options.version ?? '1.11.0')
    const masters: MasterInfo[] = []
    const shared: Shared = {
      auth: options.auth ? { ...options.auth, realms: options.auth.realms ?? ALL_REALMS } : undefined,
      records: [],
      faults: [],
      maxRecords: 200_000,
    }
    const tls = options.https ? selfSigned(workdir) : undefined
    this.caFile = tls?.certFile
    const now = Date.now() / 1000
    for (let i = 0; i < (options.masters ?? 1); i++)
      masters.push({
        index: i,
        id: rng.uuid(),
        hostname: '127.0.0.1',
        ip: '127.0.0.1',
        port: 0,
        pid: '',
        version: b.version,
        startTime: now,
      })
    this.cluster = new Cluster(masters[0]!.id, workdir, rng)
    this.world = {
      cluster: this.cluster,
      behaviour: b,
      shared,
      masters,
      leader: () => (this.leaderIndex === undefined ? undefined : masters[this.leaderIndex]),
      workdir,
      heartbeatMs: (options.heartbeatSeconds ?? 15) * 1000,
      agentHeartbeatMs: (options.agentHeartbeatSeconds ?? 30) * 1000,
      tls,
      rateLimit: options.rateLimit ?? true,
      containerizers: new Map(),
    }
  }

  // ----- addresses -------------------------------------------------------------------------

  private endpoint(host: string, port: number): Endpoint {
    return { host, port, url: `${this.scheme}://${host}:${port}`, address: `${host}:${port}` }
  }

  get masters(): MasterEndpoint[] {
    return this.world.masters.map((m) => ({
      ...this.endpoint(m.hostname, m.port),
      index: m.index,
      id: m.id,
      pid: m.pid,
    }))
  }

  /** The leading master, or undefined while none is elected. */
  get leader(): MasterEndpoint | undefined {
    const m = this.world.leader()
    return m ? this.masters[m.index] : undefined
  }

  get agents(): AgentEndpoint[] {
    return [...this.cluster.agents.values()].map((a) => ({
      ...this.endpoint(a.hostname, a.port),
      id: a.id,
      pid: `slave(1)@${a.hostname}:${a.port}`,
    }))
  }

  /** `zk://...` when ZooKeeper is used, else the leader's `host:port`. */
  get masterSpec(): string {
    return this.options.zk ?? this.leader?.address ?? this.masters[0]!.address
  }

  // ----- lifecycle -------------------------------------------------------------------------

  async start(): Promise<void> {
    const o = this.options
    const scenario = (this.scenario = scenarioFor(o.scenario))
    const w = this.world
    const basePort = o.port ?? 0
    for (const m of w.masters) {
      const server = new MasterServer(w, m)
      m.port = await server.start(basePort === 0 ? 0 : basePort + m.index)
      m.pid = `master@${m.ip}:${m.port}`
      server.log(`Master ${m.id} (${m.hostname}) started on ${m.ip}:${m.port}`, 'master.cpp:2259')
      this.masterServers.push(server)
    }
    const now = Date.now() / 1000
    const count = o.agents ?? scenario.agents
    const agents: Agent[] = []
    for (let i = 0; i < count; i++) agents.push(this.newAgent(i, now - 86400 + i, true))
    // agents listen before tasks exist, so their ports (part of their pid) are known
    await this.startAgents(agents)
    scenario.setup({
      cluster: this.cluster,
      rng: this.cluster.rng,
      agents,
      now,
      frameworks: o.frameworks,
      tasks: o.tasks,
      later: (ms, fn) => {
        if (o.liveEvents === false) return
        this.later(ms, fn)
      },
    })
    for (const a of agents) {
      const srv = this.agentServers.get(a.id)!
      for (const ex of a.executors) srv.attach(ex)
    }
    this.cluster.on('executor_added', (ex) => {
      this.agentServers.get(ex.agentId)?.attach(ex)
      if (this.eager) materialize(ex, w.behaviour.version)
    })
    this.cluster.on('task_added', (t) => {
      if (t.executor.materialized) materializeTask(t)
    })
    if (this.eager) for (const a of agents) for (const ex of a.executors) materialize(ex, w.behaviour.version)
    for (const a of agents) for (const ex of a.executors) for (const t of ex.tasks) if (t.tty) this.startTty(t)
    this.cluster.on('task_updated', (t, s) => {
      if (t.tty && s.state === 'TASK_RUNNING') this.startTty(t)
    })
    if (o.zk) {
      this.leaderIndex = undefined
      this.election = new ZkElection(
        o.zk,
        (m) => sortedJson(masterInfoProto(m)),
        (idx) => this.onLeader(idx),
      )
      await this.election.start(w.masters)
    } else this.onLeader(0)
    const interval = o.logIntervalMs ?? 1000
    if (interval > 0) {
      this.writer = new LogWriter(() => this.runningTasks())
      const t = setInterval(() => this.writer?.step(), interval)
      t.unref()
      this.timers.add(t)
    }
  }

  private startTty(t: Task): void {
    this.world.containerizers.get(t.agentId)?.startTtyTask(t)
  }

  private newAgent(index: number, registeredTime: number, announce: boolean): Agent {
    const scenario = this.scenario ?? scenarioFor(this.options.scenario)
    return this.cluster.addAgent(
      {
        id: this.cluster.agentId(),
        index,
        hostname: '127.0.0.1',
        port: 0,
        resources: { cpus: 4, mem: 15360, disk: 100000, gpus: 0, ports: [[31000, 32000]], ...scenario.agentResources },
        attributes: { rack: `rack-${(index % 4) + 1}` },
        registeredTime,
        version: this.world.behaviour.version,
        startTime: registeredTime,
      },
      announce,
    )
  }

  /** A new agent registers with the master (AGENT_ADDED). */
  async addAgent(): Promise<AgentEndpoint> {
    const index = Math.max(-1, ...[...this.cluster.agents.values()].map((a) => a.index)) + 1
    const agent = this.newAgent(index, Date.now() / 1000, false)
    await this.startAgents([agent])
    this.cluster.emit('agent_added', agent)
    return this.agents.find((a) => a.id === agent.id)!
  }

  private get eager(): boolean {
    return this.options.eagerSandboxes ?? this.scenario?.eagerSandboxes ?? true
  }

  private async startAgents(agents: Agent[]): Promise<void> {
    const batch = 50
    for (let i = 0; i < agents.length; i += batch)
      await Promise.all(
        agents.slice(i, i + batch).map(async (a) => {
          const srv = new AgentServer(this.world, a)
          this.agentServers.set(a.id, srv)
          a.port = await srv.start(0)
        }),
      )
  }

  private runningTasks(): Task[] {
    const out: Task[] = []
    for (const fw of this.cluster.frameworks.values())
      for (const t of fw.tasks) if (t.state === 'TASK_RUNNING') out.push(t)
    return out
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      if (!this.stopped) fn()
    }, ms)
    t.unref()
    this.timers.add(t)
  }

  private onLeader(index: number | undefined): void {
    const prev = this.leaderIndex
    if (prev === index) return
    for (const s of this.masterServers) s.api.closeAll()
    this.leaderIndex = index
    if (index === undefined) return
    const m = this.world.masters[index]!
    const now = Date.now() / 1000
    m.electedTime = now
    this.masterServers[index]?.log(`Elected as the leading master!`, 'master.cpp:2127')
    if (prev !== undefined)
      for (const a of this.cluster.agents.values()) {
        // agents re-register with the new leader
        a.reregisteredTime = now
      }
  }

  /** Waits until a leader is elected (ZooKeeper mode), up to `timeoutMs`. */
  async waitForLeader(timeoutMs = 15_000): Promise<MasterEndpoint> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const l = this.leader
      if (l) return l
      await new Promise((r) => setTimeout(r, 20))
    }
    throw new Error('no leader elected')
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    this.cluster.removeAllListeners()
    await this.election?.stop()
    for (const c of this.world.containerizers.values()) c.destroyAll()
    await Promise.all([
      ...this.masterServers.map((s) => s.stop()),
      ...[...this.agentServers.values()].map((s) => s.stop()),
    ])
    if (this.ownWorkdir) rmSync(this.workdir, { recursive: true, force: true })
  }

  // ----- controls --------------------------------------------------------------------------

  /** The leader loses its ZooKeeper session (or, without ZooKeeper, the next master takes over). */
  async failover(): Promise<MasterEndpoint> {
    const old = this.leaderIndex
    if (this.election) {
      await this.election.failover()
      const deadline = Date.now() + 20_000
      while (
        Date.now() < deadline &&
        (this.leaderIndex === undefined || this.leaderIndex === old || this.world.masters.length === 1)
      ) {
        if (this.world.masters.length === 1 && this.leaderIndex !== undefined) break
        await new Promise((r) => setTimeout(r, 20))
      }
      return this.waitForLeader()
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
    const server = filter.agent ? `agent:${filter.agent}` : filter.server
    return this.world.shared.records.filter((r) => {
      if (server) {
        if (
          server === 'masters'
            ? !r.server.startsWith('master:')
            : server === 'agents'
              ? !r.server.startsWith('agent:')
              : r.server !== server
        )
          return false
      }
      if (filter.method && r.method !== filter.method) return false
      if (filter.query !== undefined) {
        if (typeof filter.query === 'string' ? r.query !== filter.query : !filter.query.test(r.query)) return false
      }
      if (filter.path !== undefined) {
        if (typeof filter.path === 'string' ? r.path !== filter.path : !filter.path.test(r.path)) return false
      }
      return true
    })
  }

  requestCount(filter: RequestFilter = {}): number {
    return this.requests(filter).length
  }

  /** Counts per agent ID of the requests matching `filter`. */
  requestsPerAgent(filter: Omit<RequestFilter, 'agent' | 'server'> = {}): Map<string, number> {
    const m = new Map<string, number>()
    for (const r of this.requests({ ...filter, server: 'agents' })) {
      const id = r.server.slice('agent:'.length)
      m.set(id, (m.get(id) ?? 0) + 1)
    }
    return m
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
  mkdirSync(workdir, { recursive: true })
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
