/** `POST /api/v1` on the master (`Master::Http::api`), including the SUBSCRIBE event stream. */
import type { ServerResponse } from 'node:http'
import { type Files, listFiles, readFileBytes } from '../files.js'
import { type Reply, type Req, standard, text } from '../http.js'
import { dbl, toBuffer } from '../json.js'
import { BUFFERED_MAX, chunks, drained } from '../json-stream.js'
import type { Agent, Framework, Task, TaskStatus } from '../model.js'
import { addResources, emptyResources } from '../model.js'
import { usedBy } from '../render/v0.js'
import { frame } from '../recordio.js'
import * as v1 from '../render/v1.js'
import type { MasterInfo, World } from '../world.js'
import { buildInfo, masterFlags, metrics, roles } from './views.js'

type J = Record<string, unknown>

const JSON_TYPE = 'application/json'
const EMPTY = Buffer.alloc(0)
const PROTOBUF = 'application/x-protobuf'

interface MediaRange {
  type: string
  q: number
}

function parseAccept(h: string | undefined): MediaRange[] | undefined {
  if (h === undefined || h.trim() === '') return undefined
  return h.split(',').map((part) => {
    const [type = '', ...params] = part.trim().split(';')
    let q = 1
    for (const p of params) {
      const [k, v] = p.trim().split('=')
      if (k === 'q' && v !== undefined) q = Number(v)
    }
    return { type: type.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0 }
  })
}

/** `Request::acceptsMediaType`: a missing Accept accepts anything; q=0 excludes. */
export function accepts(h: string | undefined, media: string): boolean {
  const ranges = parseAccept(h)
  if (!ranges) return true
  const [top] = media.split('/')
  let best = -1
  let specificity = -1
  for (const r of ranges) {
    const s = r.type === media ? 2 : r.type === `${top}/*` ? 1 : r.type === '*/*' ? 0 : -1
    if (s > specificity) {
      specificity = s
      best = r.q
    }
  }
  return specificity >= 0 && best > 0
}

export interface Subscriber {
  res: ServerResponse
  close(): void
}

export class MasterApi {
  readonly subscribers = new Set<Subscriber>()

  constructor(
    private readonly w: World,
    private readonly self: MasterInfo,
    private readonly files: Files,
  ) {}

  async handle(req: Req): Promise<Reply> {
    if (req.method !== 'POST')
      return { ...standard(405), headers: { ...standard(405).headers, Allow: 'POST' } }
    const ct = req.headers['content-type']
    if (ct === undefined) return text(400, "Expecting 'Content-Type' to be present")
    if (ct !== JSON_TYPE && ct !== PROTOBUF)
      return text(415, `Expecting 'Content-Type' of ${JSON_TYPE} or ${PROTOBUF}`)
    if (ct === PROTOBUF)
      return text(400, 'Failed to parse body into Call protobuf (the simulator speaks JSON only)')
    let call: J
    try {
      call = JSON.parse(req.body.toString('utf8'))
    } catch (e) {
      return text(400, `Failed to parse body into JSON: ${(e as Error).message}`)
    }
    const type = typeof call?.type === 'string' ? call.type : undefined
    if (!type) return text(400, "Failed to validate master::Call: Expecting 'type' to be present")
    const accept = req.headers.accept
    if (!accepts(accept, JSON_TYPE)) {
      if (accepts(accept, PROTOBUF)) return text(406, 'Protobuf responses are not served by the simulator')
      return text(406, `Expecting 'Accept' to allow '${JSON_TYPE}' or '${PROTOBUF}'`)
    }
    const ok = (body: J): Reply => ({
      status: 200,
      headers: { 'Content-Type': JSON_TYPE },
      body: toBuffer(body),
    })
    // the answers that grow with the tasks are written in pieces (json-stream.ts)
    const okDoc = (value: J): Reply => ({ status: 200, doc: { value, style: { legacy: false } } })
    const c = this.w.cluster
    switch (type) {
      case 'GET_HEALTH':
        return ok({ type, get_health: { healthy: true } })
      case 'GET_VERSION': {
        const b = buildInfo(this.w)
        return ok({ type, get_version: { version_info: b } })
      }
      case 'GET_FLAGS':
        return ok({
          type,
          get_flags: {
            flags: Object.entries(masterFlags(this.w, this.self)).map(([name, value]) => ({ name, value })),
          },
        })
      case 'GET_METRICS':
        return ok({
          type,
          get_metrics: {
            metrics: Object.entries(metrics(this.w, this.self)).map(([name, value]) => ({ name, value })),
          },
        })
      case 'GET_MASTER':
        return ok({
          type,
          get_master: {
            master_info: v1.masterInfo(this.self),
            start_time: dbl(this.self.startTime),
            elected_time: this.self.electedTime === undefined ? undefined : dbl(this.self.electedTime),
          },
        })
      case 'GET_STATE':
        return okDoc({ type, get_state: this.getState() })
      case 'GET_AGENTS':
        return ok({ type, get_agents: this.getAgents() })
      case 'GET_FRAMEWORKS':
        return ok({ type, get_frameworks: this.getFrameworks() })
      case 'GET_EXECUTORS':
        return ok({ type, get_executors: this.getExecutors() })
      case 'GET_TASKS':
        return okDoc({ type, get_tasks: v1.getTasks(c.allTasks()) })
      case 'LIST_FILES': {
        const path = (call.list_files as J | undefined)?.path
        if (typeof path !== 'string')
          return text(400, "Failed to validate master::Call: Expecting 'list_files' to be present")
        const infos = await listFiles(this.files, path)
        if (!infos) return text(404, `Failed to list files: '${path}' not found`)
        return ok({ type, list_files: { file_infos: infos.length ? infos : undefined } })
      }
      case 'READ_FILE': {
        const rf = call.read_file as J | undefined
        if (typeof rf?.path !== 'string' || typeof rf.offset !== 'number')
          return text(400, "Failed to validate master::Call: Expecting 'read_file' to be present")
        const r = await readFileBytes(
          this.files,
          rf.path,
          rf.offset,
          typeof rf.length === 'number' ? rf.length : undefined,
        )
        if (r === 'not-found') return text(404, `Failed to read file: '${rf.path}' not found`)
        if (r === 'directory') return text(400, 'Cannot read a directory')
        return ok({ type, read_file: { size: r.size, data: r.data.toString('base64') } })
      }
      case 'GET_ROLES':
        return ok({ type, get_roles: this.getRoles() })
      // no weights configured (`--weights`, UPDATE_WEIGHTS): an empty list
      case 'GET_WEIGHTS':
        return ok({ type, get_weights: {} })
      // glog's FLAGS_v
      case 'GET_LOGGING_LEVEL':
        return ok({ type, get_logging_level: { level: 0 } })
      // no maintenance schedule: the required messages are present and empty
      case 'GET_MAINTENANCE_STATUS':
        return ok({ type, get_maintenance_status: { status: {} } })
      case 'GET_MAINTENANCE_SCHEDULE':
        return ok({ type, get_maintenance_schedule: { schedule: {} } })
      case 'SUBSCRIBE':
        this.subscribe(req.res)
        return { status: 200, streamed: true }
      default:
        return text(400, `Failed to validate master::Call: unsupported call type ${type}`)
    }
  }

  /** `Master::Http::getRoles`: roles with frameworks, as /master/roles, in v1 form. */
  private getRoles(): J {
    const list = (roles(this.w).roles as J[]).map((r) => ({
      name: r.name,
      weight: dbl(1),
      frameworks: (r.frameworks as string[]).length ? (r.frameworks as string[]).map((value) => ({ value })) : undefined,
      resources: v1.resources(this.resourcesOf(r.name as string)),
    }))
    return { roles: list.length ? list : undefined }
  }

  private resourcesOf(role: string) {
    let r = emptyResources()
    for (const fw of this.w.cluster.frameworks.values())
      if ((fw.roles ?? [fw.role ?? '*']).includes(role)) r = addResources(r, usedBy(fw.tasks))
    return r
  }

  private getAgents(): J {
    return { agents: [...this.w.cluster.agents.values()].filter((a) => !a.unreachable).map(v1.agent) }
  }

  private getFrameworks(): J {
    const c = this.w.cluster
    const v = this.w.behaviour.version
    const fws = [...c.frameworks.values()].map((f) => v1.framework(f, v))
    const done = c.completedFrameworks.map((f) => v1.framework(f, v))
    return { frameworks: fws.length ? fws : undefined, completed_frameworks: done.length ? done : undefined }
  }

  private getExecutors(): J {
    const out: J[] = []
    for (const a of this.w.cluster.agents.values())
      for (const ex of a.executors) if (!ex.done && ex.type !== 'COMMAND') out.push(v1.executor(ex))
    return { executors: out.length ? out : undefined }
  }

  getState(): J {
    return {
      get_tasks: v1.getTasks(this.w.cluster.allTasks()),
      get_executors: this.getExecutors(),
      get_frameworks: this.getFrameworks(),
      get_agents: this.getAgents(),
    }
  }

  private subscribe(res: ServerResponse): void {
    const c = this.w.cluster
    res.writeHead(200, { 'Content-Type': JSON_TYPE })
    // Events that happen while a big first event is still being written wait behind it.
    let backlog: Buffer[] | undefined
    const send = (event: J) => {
      if (res.writableEnded) return
      const record = frame(toBuffer(event))
      if (backlog) backlog.push(record)
      else res.write(record)
    }
    // The master builds SUBSCRIBED whole, then frames it with its length. At 1,000,000 tasks it is
    // longer than V8's longest string, so it is rendered into pieces whose lengths are summed.
    const parts = [
      ...chunks(
        { type: 'SUBSCRIBED', subscribed: { get_state: this.getState(), heartbeat_interval_seconds: dbl(this.w.heartbeatMs / 1000) } },
        { legacy: false },
      ),
    ]
    const size = parts.reduce((n, p) => n + p.length, 0)
    if (size <= BUFFERED_MAX) res.write(frame(Buffer.concat(parts, size)))
    else {
      backlog = []
      void this.writeBig(res, size, parts).then(() => {
        const waiting = backlog ?? []
        backlog = undefined
        if (!res.writableEnded) for (const record of waiting) res.write(record)
      })
    }
    send({ type: 'HEARTBEAT' })
    const timer = setInterval(() => send({ type: 'HEARTBEAT' }), this.w.heartbeatMs)
    const onTaskAdded = (t: Task) => send({ type: 'TASK_ADDED', task_added: { task: v1.task(t) } })
    const onTaskUpdated = (t: Task, s: TaskStatus) =>
      send({
        type: 'TASK_UPDATED',
        task_updated: { framework_id: { value: t.frameworkId }, status: v1.status(t, s), state: t.state },
      })
    const onAgentAdded = (a: Agent) => send({ type: 'AGENT_ADDED', agent_added: { agent: v1.agent(a) } })
    const onAgentRemoved = (a: Agent) =>
      send({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: a.id } } })
    const onFwAdded = (f: Framework) =>
      send({ type: 'FRAMEWORK_ADDED', framework_added: { framework: v1.framework(f, this.w.behaviour.version) } })
    const onFwUpdated = (f: Framework) =>
      send({ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: v1.framework(f, this.w.behaviour.version) } })
    const onFwRemoved = (f: Framework) =>
      send({ type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: v1.frameworkInfo(f) } })
    c.on('task_added', onTaskAdded)
    c.on('task_updated', onTaskUpdated)
    c.on('agent_added', onAgentAdded)
    c.on('agent_removed', onAgentRemoved)
    c.on('framework_added', onFwAdded)
    c.on('framework_updated', onFwUpdated)
    c.on('framework_removed', onFwRemoved)
    const sub: Subscriber = {
      res,
      close: () => {
        clearInterval(timer)
        c.off('task_added', onTaskAdded)
        c.off('task_updated', onTaskUpdated)
        c.off('agent_added', onAgentAdded)
        c.off('agent_removed', onAgentRemoved)
        c.off('framework_added', onFwAdded)
        c.off('framework_updated', onFwUpdated)
        c.off('framework_removed', onFwRemoved)
        this.subscribers.delete(sub)
        if (!res.writableEnded) res.end()
        res.socket?.destroy()
      },
    }
    this.subscribers.add(sub)
    res.on('close', () => sub.close())
  }

  /** Writes one record of `size` bytes given in `parts`, with backpressure, freeing parts as they go. */
  private async writeBig(res: ServerResponse, size: number, parts: Buffer[]): Promise<void> {
    if (!res.write(`${size}\n`)) await drained(res)
    for (let i = 0; i < parts.length; i++) {
      if (res.destroyed || res.writableEnded) return
      const p = parts[i]!
      parts[i] = EMPTY
      if (!res.write(p)) await drained(res)
    }
  }

  closeAll(): void {
    for (const s of [...this.subscribers]) s.close()
  }
}
