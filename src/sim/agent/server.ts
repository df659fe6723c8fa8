/** One simulated agent: `slave(1)` routes, resource statistics and its sandboxes under /files. */
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Files } from '../files.js'
import { AgentApi } from './api.js'
import { Containerizer } from './containerizer.js'
import type { AgentReads } from './reads.js'
import { SandboxAttachments } from './sandboxes.js'
import { Daemon, LIBPROCESS_PROCESSES, type Handler } from '../http.js'
import { dbl } from '../json.js'
import { buildInfo } from '../master/views.js'
import type { Agent, Executor, Framework } from '../model.js'
import { isTerminal } from '../model.js'
import { Pacer } from '../pace.js'
import * as v0 from '../render/v0.js'
import { glog, materialize } from '../sandbox.js'
import { getOrAdd } from '../util.js'
import { cpuCounters, userShare } from './usage.js'
import type { World } from '../world.js'
import { makeDirsSync } from '../../core/dirs.js'

const RO = 'mesos-agent-readonly'

export class AgentServer implements AgentReads {
  readonly daemon: Daemon
  readonly files: Files
  private readonly logPath: string
  private logWritten = false
  private readonly sandboxes: SandboxAttachments
  private readonly pacer = new Pacer(2)
  readonly api: AgentApi
  readonly containerizer: Containerizer

  constructor(
    readonly w: World,
    readonly agent: Agent,
  ) {
    this.daemon = new Daemon({
      name: `agent:${agent.id}`,
      delegate: 'slave(1)',
      processes: LIBPROCESS_PROCESSES,
      tls: w.tls,
      shared: w.shared,
      style: () => ({ legacy: w.behaviour.legacyJson }),
      latency: () => agent.slowMs,
    })
    this.files = new Files({ echoOffsetPastEof: w.behaviour.echoOffsetPastEof })
    this.sandboxes = new SandboxAttachments(w.behaviour.frameworksVirtualPath)
    this.files.more = this.sandboxes
    this.files.materialize = async (prefix) => {
      if (prefix === '/slave/log') this.writeLog()
      const ex = this.sandboxes.executorAt(prefix)
      if (ex && !ex.materialized) materialize(ex, w.behaviour.version)
    }
    this.logPath = join(w.workdir, 'logs', `agent-${agent.index}`, 'mesos-slave.INFO')
    this.files.attach(this.logPath, '/slave/log')
    this.containerizer = getOrAdd(w.containerizers, agent.id, () => new Containerizer(w, agent))
    this.api = new AgentApi(w, this.containerizer, this, w.agentHeartbeatMs)
    for (const ex of agent.executors) this.attach(ex)
    this.routes()
  }

  /** The agent's log, written when first asked for: 10,000 agents would otherwise start with 20,000 files and directories. */
  get logFile(): string {
    this.writeLog()
    return this.logPath
  }

  private writeLog(): void {
    if (this.logWritten) return
    this.logWritten = true
    const { agent, w } = this
    makeDirsSync(dirname(this.logPath))
    writeFileSync(
      this.logPath,
      [
        glog(agent.startTime, 'main.cpp:349', `Build: ${w.behaviour.build.date} by root`),
        glog(agent.startTime, 'main.cpp:350', `Version: ${agent.version}`),
        glog(agent.startTime + 1, 'slave.cpp:1511', `Registered with master; given agent ID ${agent.id}`),
        '',
      ].join('\n'),
    )
  }

  /** Three attachments per executor run (sandboxes.ts). */
  attach(ex: Executor): void {
    this.sandboxes.attach(ex)
  }

  /** What the agent's garbage collector does to a finished executor's sandbox: paths detached. */
  detach(ex: Executor): void {
    this.sandboxes.detach(ex)
  }

  private routes(): void {
    const d = this.daemon
    const w = this.w
    const both = (path: string, handler: Handler) => {
      d.route(path, { realm: RO, handler, jsonp: true })
      if (w.behaviour.jsonRoutes) d.route(`${path}.json`, { realm: RO, handler, jsonp: true })
    }
    both('/slave(1)/state', () => d.json(this.state()))
    both('/slave(1)/monitor/statistics', async () => {
      if (w.rateLimit) await this.pacer.wait()
      return d.json(this.statistics())
    })
    if (w.behaviour.version.startsWith('0.')) both('/monitor/statistics', () => d.json(this.statistics()))
    d.route('/slave(1)/flags', { realm: RO, jsonp: true, handler: () => d.json({ flags: this.flags() }) })
    d.route('/slave(1)/health', () => ({ status: 200, body: '' }))
    if (w.behaviour.v1Api)
      d.route('/slave(1)/api/v1', { realm: 'mesos-agent-readwrite', rawBody: true, handler: (r) => this.api.handle(r) })
    d.route('/slave(1)/containers', { realm: RO, jsonp: true, handler: () => d.json(this.containers()) })
    d.route('/metrics/snapshot', {
      realm: RO,
      jsonp: true,
      handler: async () => {
        if (w.rateLimit) await this.pacer.wait()
        return d.json(this.metrics())
      },
    })
    d.route('/version', { jsonp: true, handler: () => d.json(buildInfo(w)) })
    this.files.install(d, RO, w.behaviour.jsonRoutes)
  }

  flags(): Record<string, string> {
    return {
      authenticate_http_readonly: String(this.w.shared.auth?.realms.includes(RO) ?? false),
      hostname: this.agent.hostname,
      log_dir: join(this.w.workdir, 'logs', `agent-${this.agent.index}`),
      port: String(this.agent.port),
      work_dir: this.w.workdir,
      gc_delay: '1weeks',
    }
  }

  state(): Record<string, unknown> {
    const a = this.agent
    const w = this.w
    const byFw = new Map<string, Executor[]>()
    for (const ex of a.executors) {
      getOrAdd(byFw, ex.frameworkId, () => []).push(ex)
    }
    const frameworks: unknown[] = []
    const completed: unknown[] = []
    for (const [fwId, exs] of byFw) {
      const fw = w.cluster.framework(fwId)
      if (!fw) continue
      const doc = {
        ...frameworkOnAgent(fw),
        executors: exs.filter((e) => !e.done).map(v0.executorOnAgent),
        completed_executors: exs.filter((e) => e.done).map(v0.executorOnAgent),
      }
      ;(fw.completed ? completed : frameworks).push(doc)
    }
    const leader = w.leader()
    return {
      ...buildInfo(w),
      start_time: dbl(a.startTime),
      id: a.id,
      pid: `slave(1)@${a.hostname}:${a.port}`,
      hostname: a.hostname,
      capabilities: ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT', 'RESOURCE_PROVIDER'],
      resources: v0.resources(a.resources),
      reserved_resources: {},
      unreserved_resources: v0.resources(a.resources),
      reserved_resources_full: {},
      unreserved_resources_full: v0.fullResources(a.resources),
      reserved_resources_allocated: {},
      unreserved_resources_allocated: v0.resources(a.resources),
      resource_providers: [],
      attributes: a.attributes,
      master_hostname: leader?.hostname,
      log_dir: join(w.workdir, 'logs', `agent-${a.index}`),
      flags: this.flags(),
      frameworks,
      completed_frameworks: completed,
    }
  }

  statistics(): Array<{ executor_id: string; statistics: Record<string, unknown> } & Record<string, unknown>> {
    const now = Date.now() / 1000
    const out: Array<{ executor_id: string; statistics: Record<string, unknown> } & Record<string, unknown>> = []
    for (const ex of this.agent.executors) {
      if (ex.done) continue
      const up = Math.max(0.1, now - ex.launchedAt)
      // memory moves with the CPU the container uses right now
      const wobble = userShare(ex, now)
      const cpu = cpuCounters(ex, now)
      out.push({
        framework_id: ex.frameworkId,
        executor_id: ex.id,
        executor_name: ex.name,
        source: ex.source,
        statistics: {
          timestamp: dbl(now),
          processes: 2 + ex.tasks.length,
          threads: 8 + ex.tasks.length * 12,
          cpus_limit: dbl(ex.resources.cpus),
          cpus_user_time_secs: dbl(cpu.user),
          cpus_system_time_secs: dbl(cpu.system),
          cpus_nr_periods: cpu.periods,
          cpus_nr_throttled: cpu.throttled,
          cpus_throttled_time_secs: dbl(cpu.throttledSecs),
          mem_limit_bytes: Math.round(ex.resources.mem * 1048576),
          mem_rss_bytes: Math.round(ex.resources.mem * 1048576 * (0.4 + wobble)),
          mem_total_bytes: Math.round(ex.resources.mem * 1048576 * (0.5 + wobble)),
          mem_file_bytes: 4096 * 37,
          mem_anon_bytes: Math.round(ex.resources.mem * 1048576 * 0.35),
          mem_cache_bytes: 4096 * 512,
          disk_limit_bytes: Math.round(ex.resources.disk * 1048576),
          disk_used_bytes: 4096 * (10 + Math.floor(up / 10)),
        },
      })
    }
    return out
  }

  private containers(): unknown[] {
    return this.agent.executors
      .filter((e) => !e.done)
      .map((ex) => ({
        framework_id: ex.frameworkId,
        executor_id: ex.id,
        executor_name: ex.name,
        source: ex.source,
        container_id: ex.containerId,
        status: { executor_pid: 1000 + (ex.id.length % 100) },
        statistics: { timestamp: dbl(Date.now() / 1000), cpus_limit: dbl(ex.resources.cpus) },
      }))
  }

  metrics(): Record<string, unknown> {
    const running = this.agent.executors.flatMap((e) => e.tasks).filter((t) => !isTerminal(t.state))
    return {
      'slave/registered': dbl(1),
      'slave/uptime_secs': dbl(Date.now() / 1000 - this.agent.startTime),
      'slave/tasks_running': dbl(running.filter((t) => t.state === 'TASK_RUNNING').length),
      'slave/tasks_staging': dbl(running.filter((t) => t.state === 'TASK_STAGING').length),
      'slave/tasks_starting': dbl(running.filter((t) => t.state === 'TASK_STARTING').length),
      'slave/executors_running': dbl(this.agent.executors.filter((e) => !e.done).length),
      'slave/cpus_total': dbl(this.agent.resources.cpus),
      'slave/mem_total': dbl(this.agent.resources.mem),
    }
  }

  async start(port: number): Promise<number> {
    return this.daemon.listen(port, this.agent.hostname)
  }

  /** The HTTP server goes away; containers keep running (sessions end with their connections). */
  async stop(): Promise<void> {
    await this.daemon.close()
  }
}

function frameworkOnAgent(fw: Framework): Record<string, unknown> {
  return {
    id: fw.id,
    name: fw.name,
    user: fw.user,
    failover_timeout: dbl(fw.failoverTimeout),
    checkpoint: fw.checkpoint,
    hostname: fw.hostname,
    principal: fw.principal,
    ...(fw.roles ? { roles: fw.roles } : { role: fw.role ?? '*' }),
  }
}
