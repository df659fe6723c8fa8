/**
 * The libprocess side of every simulated daemon: one HTTP(S) server per master or agent, delegation
 * of unknown first segments to the daemon's process, parent-path retry, JSONP, gzip, basic auth by
 * realm, request counting and fault injection.
 */
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttps } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { gzipSync } from 'node:zlib'
import { type JsonStyle, toBuffer } from './json.js'
import { sendJson } from './json-stream.js'

export interface Req {
  method: string
  /** the path as sent */
  rawPath: string
  /** after delegation and trailing-slash removal */
  path: string
  /** the route that matched (a prefix of `path`) */
  route: string
  query: URLSearchParams
  rawQuery: string
  headers: IncomingMessage['headers']
  body: Buffer
  raw: IncomingMessage
  res: ServerResponse
  /** the authenticated principal, when the route's realm required one */
  principal?: string
}

export interface Reply {
  status: number
  headers?: Record<string, string | number>
  body?: Buffer | string
  /** the handler wrote the response itself (streams, downloads) */
  streamed?: boolean
  /** a 200 JSON document written in pieces (json-stream.ts); `style` defaults to the daemon's */
  doc?: { value: unknown; style?: JsonStyle }
}

export type Handler = (req: Req) => Reply | Promise<Reply>

export interface Route {
  /** authentication realm, or undefined for none */
  realm?: string
  handler: Handler
  /** JSONP applies */
  jsonp?: boolean
  /** the handler reads the (streamed) request body itself from `raw` */
  rawBody?: boolean
}

export interface RequestRecord {
  server: string
  method: string
  path: string
  query: string
  status: number
  time: number
}

export interface Fault {
  /** matched against the raw path and the resolved path */
  path: string
  status: number
  body?: string
  /** 'masters', 'agents', a server name like `agent:<id>` or `master:0`; default all */
  target?: string
  /** how many requests to fail; default forever */
  times?: number
}

/**
 * Credentials and a small part of the local authorizer's ACLs (`--acls`): for an action such as
 * `launch_nested_container_sessions`, the principals allowed; actions not listed follow
 * `permissive` (default true), as in Mesos.
 */
export interface Acls {
  permissive?: boolean
  [action: string]: string[] | boolean | undefined
}

export interface AuthConfig {
  principal: string
  secret: string
  realms: string[]
  /** more principal → secret pairs (`--http_credentials` holds a list) */
  principals?: Record<string, string>
  acls?: Acls
}

/** The local authorizer's answer for `principal` doing `action`. */
export function permitted(auth: AuthConfig | undefined, action: string, principal: string | undefined): boolean {
  const acls = auth?.acls
  if (!acls) return true
  const allowed = acls[action]
  if (!Array.isArray(allowed)) return acls.permissive !== false
  return principal !== undefined && allowed.includes(principal)
}

export interface Shared {
  auth?: AuthConfig
  records: RequestRecord[]
  faults: Fault[]
  maxRecords: number
}

export const text = (status: number, body: string, headers: Record<string, string> = {}): Reply => ({
  status,
  body,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers },
})

export const empty = (status: number): Reply => ({ status, body: '' })

const DEFAULT_BODIES: Record<number, string> = {
  400: '400 Bad Request.',
  401: '401 Unauthorized.',
  403: '403 Forbidden.',
  404: '404 Not Found.',
  405: '405 Method Not Allowed.',
  406: '406 Not Acceptable.',
  409: '409 Conflict.',
  415: '415 Unsupported Media Type.',
  500: '500 Internal Server Error.',
  503: '503 Service Unavailable.',
}
export const standard = (status: number): Reply => text(status, DEFAULT_BODIES[status] ?? '')

/** The libprocess processes every master and agent runs besides its own; they are never delegated. */
export const LIBPROCESS_PROCESSES = ['files', 'metrics', 'version', 'logging', 'profiler', 'help', '__processes__']

export interface DaemonOptions {
  name: string
  /** the daemon's own process id: `master` or `slave(1)` */
  delegate: string
  /** real processes that are never delegated */
  processes: string[]
  tls?: { key: string; cert: string }
  shared: Shared
  style: () => JsonStyle
  /** extra latency in ms before answering */
  latency?: () => number
}

export class Daemon {
  readonly routes = new Map<string, Route>()
  server: Server
  port = 0
  private sockets = new Set<Socket>()

  constructor(readonly opts: DaemonOptions) {
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((err) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
          res.end(String(err?.message ?? err))
        } else res.destroy()
      })
    }
    this.server = opts.tls
      ? createHttps({ key: opts.tls.key, cert: opts.tls.cert }, listener)
      : createHttp(listener)
    this.server.keepAliveTimeout = 5000
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
    this.server.on('secureConnection', (s: Socket) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
  }

  route(path: string, r: Route | Handler): void {
    this.routes.set(path, typeof r === 'function' ? { handler: r } : r)
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      // both handlers go either way: a failed listen may be retried on another port
      const onErr = (e: Error) => {
        this.server.off('listening', onListening)
        reject(e)
      }
      const onListening = () => {
        this.server.off('error', onErr)
        resolve()
      }
      this.server.once('error', onErr)
      this.server.once('listening', onListening)
      this.server.listen({ port, host, exclusive: true })
    })
    this.port = (this.server.address() as AddressInfo).port
    return this.port
  }

  get listening(): boolean {
    return this.server.listening
  }

  async close(): Promise<void> {
    if (!this.server.listening) return
    const closed = new Promise<void>((r) => this.server.close(() => r()))
    for (const s of this.sockets) s.destroy()
    this.sockets.clear()
    await closed
  }

  /** libprocess delegation: an unknown first segment means the daemon's own process. */
  private delegated(pathname: string): string {
    let path = pathname.length > 1 && pathname.endsWith('/') ? pathname.replace(/\/+$/, '') : pathname
    if (path === '' || path === '/') path = `/${this.opts.delegate}`
    const first = path.split('/')[1] ?? ''
    if (first !== this.opts.delegate && !this.opts.processes.includes(first))
      path = `/${this.opts.delegate}${path}`
    return path
  }

  private resolve(pathname: string): { path: string; route?: Route; routePath: string } {
    const path = this.delegated(pathname)
    // libprocess retries with the parent path when nothing matches.
    let probe = path
    while (probe.length > 0) {
      const r = this.routes.get(probe)
      if (r) return { path, route: r, routePath: probe }
      const cut = probe.lastIndexOf('/')
      if (cut <= 0) break
      probe = probe.slice(0, cut)
    }
    return { path, routePath: path }
  }

  /** The authenticated principal ('' when the realm needs none), or false. */
  private authenticate(req: IncomingMessage, realm: string): string | false {
    const auth = this.opts.shared.auth
    if (!auth?.realms.includes(realm)) return ''
    const h = req.headers.authorization
    if (!h?.startsWith('Basic ')) return false
    const decoded = Buffer.from(h.slice(6), 'base64').toString('utf8')
    // libprocess splits on ':' and wants exactly two parts: a secret containing ':' never matches.
    const parts = decoded.split(':')
    if (parts.length !== 2) return false
    const [user = '', secret] = parts
    const known = user === auth.principal ? auth.secret : auth.principals?.[user]
    return known !== undefined && known === secret ? user : false
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x')
    let rawPath: string
    try {
      rawPath = decodeURIComponent(url.pathname)
    } catch {
      rawPath = url.pathname
    }
    const rawQuery = url.search.slice(1)
    const record: RequestRecord = {
      server: this.opts.name,
      method: req.method ?? 'GET',
      path: rawPath,
      query: rawQuery,
      status: 0,
      time: Date.now(),
    }
    const shared = this.opts.shared
    shared.records.push(record)
    if (shared.records.length > shared.maxRecords)
      shared.records.splice(0, shared.records.length - shared.maxRecords)
    res.on('finish', () => {
      record.status = res.statusCode
    })
    const delay = this.opts.latency?.() ?? 0
    if (delay > 0) await new Promise((r) => setTimeout(r, delay))
    const { path, route, routePath } = this.resolve(rawPath)
    const body = route?.rawBody ? Buffer.alloc(0) : await readBody(req)
    const fault = this.faultFor(rawPath, path)
    if (fault) return send(res, req, text(fault.status, fault.body ?? DEFAULT_BODIES[fault.status] ?? ''))
    if (!route) return send(res, req, standard(404))
    const principal = route.realm ? this.authenticate(req, route.realm) : ''
    if (principal === false)
      return send(
        res,
        req,
        text(401, '401 Unauthorized.', { 'WWW-Authenticate': `Basic realm="${route.realm}"` }),
      )
    const r: Req = {
      method: req.method ?? 'GET',
      rawPath,
      path,
      route: routePath,
      query: url.searchParams,
      rawQuery,
      headers: req.headers,
      body,
      raw: req,
      res,
      principal: principal || undefined,
    }
    const reply = await route.handler(r)
    if (reply.streamed) {
      if (res.headersSent) record.status = res.statusCode
      return
    }
    const cb = url.searchParams.get('jsonp')
    if (reply.doc) {
      const style = reply.doc.style ?? this.opts.style()
      return sendJson(res, req, reply.doc.value, style, route.jsonp && cb ? cb : undefined)
    }
    if (route.jsonp && cb && reply.status === 200) {
      const b = Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body ?? '', 'utf8')
      reply.body = Buffer.concat([Buffer.from(`${cb}(`), b, Buffer.from(');')])
      reply.headers = { ...reply.headers, 'Content-Type': 'text/javascript' }
    }
    send(res, req, reply)
  }

  private faultFor(rawPath: string, path: string): Fault | undefined {
    const name = this.opts.name
    const kind = name.startsWith('master') ? 'masters' : 'agents'
    const faults = this.opts.shared.faults
    for (let i = 0; i < faults.length; i++) {
      const f = faults[i] as Fault
      if (f.path !== rawPath && f.path !== path && this.delegated(f.path) !== path) continue
      if (f.target && f.target !== name && f.target !== kind) continue
      if (f.times !== undefined && --f.times <= 0) faults.splice(i, 1)
      return f
    }
    return undefined
  }

  /** A document that grows with the tasks: streamed when big (json-stream.ts). */
  doc(value: unknown): Reply {
    return { status: 200, doc: { value } }
  }

  json(value: unknown, status = 200): Reply {
    return {
      status,
      body: toBuffer(value, this.opts.style()),
      headers: { 'Content-Type': 'application/json' },
    }
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', () => resolve(Buffer.concat(chunks)))
  })
}

/** A BODY response of 1024 bytes or more is gzipped when the client accepts it. */
export function send(res: ServerResponse, req: IncomingMessage, reply: Reply): void {
  let body =
    reply.body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(reply.body)
        ? reply.body
        : Buffer.from(reply.body, 'utf8')
  const headers: Record<string, string | number> = { ...reply.headers }
  if (body.length >= 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    body = gzipSync(body)
    headers['Content-Encoding'] = 'gzip'
  }
  headers['Content-Length'] = body.length
  res.writeHead(reply.status, headers)
  res.end(body)
}
