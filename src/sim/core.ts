/**
 * The simulator's frame: its masters and agents as real HTTP(S) servers on loopback over one
 * cluster model, addresses, start-up (scenario, sandboxes, TTY tasks, election, log writers) and a
 * clean stop. Controls and request accounting are added by Simulator (simulator.ts).
 */
import { readFileSync, rmSync } from 'node:fs'
import { AgentServer } from './agent/server.js'
import { Cluster } from './cluster.js'
import { ZkElection } from './election.js'
import type { Shared } from './http.js'
import { sortedJson } from './json.js'
import { Leadership } from './leadership.js'
import { MasterServer } from './master/server.js'
import type { Agent, Task } from './model.js'
import { ALL_REALMS, type AgentEndpoint, type Endpoint, type MasterEndpoint, type SimulatorOptions } from './options.js'
import { Random } from './random.js'
import { LogWriter, materialize, materializeTask } from './sandbox.js'
import { type Scenario, scenarioFor } from './scenarios/index.js'
import { selfSigned } from './tls.js'
import { behaviour } from './versions.js'
import { MANY_AGENTS, PortRun } from './ports.js'
import { type MasterInfo, masterInfoProto, type World } from './world.js'

/**
 * Every agent listens on a port of its own (its pid names it), so 10,000 agents hold 10,000
 * descriptors. Node cannot raise RLIMIT_NOFILE: say so plainly instead of failing with EMFILE later.
 */
function checkOpenFiles(needed: number): void {
  let limits: string
  try {
    limits = readFileSync('/proc/self/limits', 'utf8')
  } catch {
    return
  }
  const soft = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1] ?? Infinity)
  if (needed > soft)
    throw new Error(
      `${needed - 64} agents need about ${needed} open files but the limit is ${soft}; raise it (ulimit -n ${needed + 1000}) or use fewer agents`,
    )
}

export class SimulatorCore {
  readonly cluster: Cluster
  readonly world: World
  readonly masterServers: MasterServer[] = []
  readonly agentServers = new Map<string, AgentServer>()
  readonly scheme: 'http' | 'https'
  readonly workdir: string
  /** PEM file of the self-signed certificate (https mode) */
  caFile?: string
  protected readonly leadership = new Leadership()
  protected election?: ZkElection
  protected timers = new Set<NodeJS.Timeout>()
  protected ownWorkdir: boolean
  protected writer?: LogWriter
  protected stopped = false
  protected scenario?: Scenario

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
      leader: () => {
        const i = this.leadership.current
        return i === undefined ? undefined : masters[i]
      },
      workdir,
      heartbeatMs: (options.heartbeatSeconds ?? 15) * 1000,
      agentHeartbeatMs: (options.agentHeartbeatSeconds ?? 30) * 1000,
      tls,
      rateLimit: options.rateLimit ?? true,
      containerizers: new Map(),
    }
    this.cluster.on('task_updated', (t) => this.world.containerizers.get(t.agentId)?.taskUpdated(t))
  }

  // ----- addresses -------------------------------------------------------------------------

  protected endpoint(host: string, port: number): Endpoint {
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
      this.leadership.set(undefined)
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

  protected startTty(t: Task): void {
    this.world.containerizers.get(t.agentId)?.startTtyTask(t)
  }

  protected newAgent(index: number, registeredTime: number, announce: boolean): Agent {
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

  protected get eager(): boolean {
    return this.options.eagerSandboxes ?? this.scenario?.eagerSandboxes ?? true
  }

  protected async startAgents(agents: Agent[]): Promise<void> {
    checkOpenFiles(this.cluster.agents.size + 64)
    const ports = agents.length >= MANY_AGENTS ? new PortRun() : undefined
    const batch = 50
    for (let i = 0; i < agents.length; i += batch)
      await Promise.all(
        agents.slice(i, i + batch).map(async (a) => {
          const srv = new AgentServer(this.world, a)
          this.agentServers.set(a.id, srv)
          a.port = ports ? await ports.listen((p) => srv.start(p)) : await srv.start(0)
        }),
      )
  }

  protected runningTasks(): Task[] {
    const out: Task[] = []
    for (const fw of this.cluster.frameworks.values())
      for (const t of fw.tasks) if (t.state === 'TASK_RUNNING') out.push(t)
    return out
  }

  protected later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      if (!this.stopped) fn()
    }, ms)
    t.unref()
    this.timers.add(t)
  }

  protected onLeader(index: number | undefined): void {
    const prev = this.leadership.current
    if (prev === index) return
    for (const s of this.masterServers) s.api.closeAll()
    this.leadership.set(index)
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
    const index = await this.leadership.until(() => true, timeoutMs)
    return this.masters[index]!
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
}
