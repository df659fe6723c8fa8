/** One simulated master: its libprocess routes, leader-only redirects, files and the v1 API. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Files } from '../files.js'
import { Daemon, LIBPROCESS_PROCESSES, type Handler, type Reply, type Req, standard, text } from '../http.js'
import { Pacer } from '../pace.js'
import { glog } from '../sandbox.js'
import type { MasterInfo, World } from '../world.js'
import { MasterApi } from './v1.js'
import * as views from './views.js'
import { makeDirsSync } from '../../core/dirs.js'

const RO = 'mesos-master-readonly'
const RW = 'mesos-master-readwrite'

export class MasterServer {
  readonly daemon: Daemon
  readonly files: Files
  readonly api: MasterApi
  readonly logFile: string
  private readonly pacer = new Pacer(2)

  constructor(
    readonly w: World,
    readonly info: MasterInfo,
  ) {
    this.daemon = new Daemon({
      name: `master:${info.index}`,
      delegate: 'master',
      processes: LIBPROCESS_PROCESSES,
      tls: w.tls,
      shared: w.shared,
      style: () => ({ legacy: w.behaviour.legacyJson }),
    })
    this.files = new Files({ echoOffsetPastEof: w.behaviour.echoOffsetPastEof })
    this.api = new MasterApi(w, info, this.files)
    const logDir = join(w.workdir, 'logs', `master-${info.index}`)
    makeDirsSync(logDir)
    this.logFile = join(logDir, 'mesos-master.INFO')
    this.files.attach(this.logFile, '/master/log')
    this.routes()
  }

  get elected(): boolean {
    return this.w.leader() === this.info
  }

  log(msg: string, where = 'master.cpp:2000'): void {
    writeFileSync(this.logFile, glog(Date.now() / 1000, where, msg) + '\n', { flag: 'a' })
  }

  async start(port: number): Promise<number> {
    const p = await this.daemon.listen(port)
    return p
  }

  /** `Master::Http::redirect`: the protocol-relative leader address, or 503 without one. */
  redirect(req: Req, bare: boolean): Reply {
    let leader = this.w.leader()
    if (!leader && this.w.behaviour.redirectToSelfWithoutLeader) leader = this.info
    if (!leader) return text(503, 'No leader elected')
    const base = `//${leader.hostname}:${leader.port}`
    const location = bare ? base : base + req.path + (req.rawQuery ? `?${req.rawQuery}` : '')
    return { status: 307, headers: { Location: location }, body: '' }
  }

  private leaderOnly(h: Handler): Handler {
    return (req) => (this.elected ? h(req) : this.redirect(req, false))
  }

  private routes(): void {
    const d = this.daemon
    const w = this.w
    const b = w.behaviour
    const both = (path: string, realm: string | undefined, handler: Handler, json = true) => {
      d.route(path, { realm, handler, jsonp: json })
      if (b.jsonRoutes) d.route(`${path}.json`, { realm, handler, jsonp: json })
    }
    const stateHandler: Handler = (req) => {
      if (this.elected) return d.doc(views.state(w, this.info))
      // Before 1.0 a follower answered with its own state: empty, `leader` naming the leader.
      if (b.followerOwnState) return d.doc(views.state(w, this.info, { empty: true }))
      return this.redirect(req, false)
    }
    both('/master/state', RO, stateHandler)
    both(
      '/master/state-summary',
      RO,
      this.leaderOnly(() => d.doc(views.stateSummary(w))),
    )
    both(
      '/master/frameworks',
      RO,
      this.leaderOnly((r) => d.doc(views.frameworks(w, b.idFilters ? r.query.get('framework_id') : null))),
    )
    both(
      '/master/slaves',
      RO,
      this.leaderOnly((r) => d.doc(views.slaves(w, b.idFilters ? r.query.get('slave_id') : null))),
    )
    both(
      '/master/tasks',
      RO,
      this.leaderOnly((r) => d.doc(views.tasks(w, r.query))),
    )
    both(
      '/master/roles',
      RO,
      this.leaderOnly(() => d.json(views.roles(w))),
    )
    d.route('/master/flags', {
      realm: RO,
      jsonp: true,
      handler: () => d.json({ flags: views.masterFlags(w, this.info) }),
    })
    d.route('/master/health', () => ({ status: 200, body: '' }))
    d.route('/master/redirect', (req) => {
      // anything under /redirect/... is refused, to prevent redirect loops
      if (req.path !== '/master/redirect') return standard(404)
      return this.redirect(req, true)
    })
    if (b.v1Api)
      d.route('/master/api/v1', {
        realm: RW,
        handler: (req) => (this.elected ? this.api.handle(req) : this.redirect(req, false)),
      })
    d.route('/metrics/snapshot', {
      realm: RO,
      jsonp: true,
      handler: async (req) => {
        const t = req.query.get('timeout')
        if (t !== null && !/^\d+(\.\d+)?(ns|us|ms|secs|mins|hrs|days|weeks)$/.test(t))
          return text(400, `Invalid timeout '${t}': Invalid duration format`)
        if (w.rateLimit) await this.pacer.wait()
        return d.json(views.metrics(w, this.info))
      },
    })
    d.route('/version', { jsonp: true, handler: () => d.json(views.buildInfo(w)) })
    this.files.install(d, RO, b.jsonRoutes)
  }

  async stop(): Promise<void> {
    this.api.closeAll()
    await this.daemon.close()
  }
}
