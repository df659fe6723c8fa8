/**
 * The one HTTP client for masters and agents: keep-alive pools (at most `max_workers` sockets per
 * host), a per-request timeout, basic or bearer authentication, TLS with a CA bundle or (with a
 * warning) without verification, and `--debug` request logging that never shows credentials.
 *
 * It is built on node's own http/https: they cost nothing to load, where undici costs about 70 ms of
 * CPU at every start (bench/README.md), more than the whole start-up budget of a command that runs
 * on every TAB press, and they stream bulk sandbox files faster here.
 */
import { readFileSync } from 'node:fs'
import * as http from 'node:http'
import type * as Https from 'node:https'
import { createRequire } from 'node:module'
import type { Readable } from 'node:stream'
import { usageError } from '../errors.js'
import { type Endpoint, origin, type Query, withQuery } from './endpoint.js'
import { statusError, TIMEOUT, transportError } from './errors.js'

export interface HttpOptions {
  timeoutSec: number
  maxConnections?: number
  principal?: string
  secret?: string
  token?: string
  caFile?: string
  insecure?: boolean
  debug?: (line: string) => void
  warn?: (line: string) => void
  signal?: AbortSignal
}

export interface RequestOptions {
  method?: string
  query?: Query
  headers?: Record<string, string>
  body?: string | Buffer
  /** Seconds without data before giving up on the body; `null` for endless streams. */
  bodyTimeoutSec?: number | null
  signal?: AbortSignal
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Readable
  /** The request path with its query, as sent (without the endpoint prefix). */
  path: string
  text(): Promise<string>
  bytes(): Promise<Buffer>
  /** Discards the body so the connection can be reused. */
  dump(): Promise<void>
}

/** node:https pulls in TLS: loaded only when a request is https. */
let httpsModule: typeof Https | undefined
function https(): typeof Https {
  httpsModule ??= createRequire(import.meta.url)('node:https') as typeof Https
  return httpsModule
}

function timeoutError(code: string): Error {
  return Object.assign(new Error(code), { code })
}

export class HttpClient {
  private agents: { http?: http.Agent; https?: Https.Agent } = {}
  private warnedInsecure = false
  private caCache?: Buffer | null

  constructor(readonly opts: HttpOptions) {}

  private ca(): Buffer | undefined {
    if (this.caCache === undefined) {
      if (!this.opts.caFile) this.caCache = null
      else {
        try {
          this.caCache = readFileSync(this.opts.caFile)
        } catch (err) {
          throw usageError(`cannot read ca_file ${this.opts.caFile}: ${(err as NodeJS.ErrnoException).code ?? err}`)
        }
      }
    }
    return this.caCache ?? undefined
  }

  private agentFor(scheme: 'http' | 'https'): http.Agent {
    const pool = { keepAlive: true, maxSockets: this.opts.maxConnections ?? 16, scheduling: 'lifo' as const }
    if (scheme === 'http') {
      this.agents.http ??= new http.Agent(pool)
      return this.agents.http
    }
    if (!this.agents.https) {
      const ca = this.ca()
      this.agents.https = new (https().Agent)({ ...pool, ...(ca ? { ca } : {}), rejectUnauthorized: !this.opts.insecure })
    }
    return this.agents.https
  }

  private authHeader(): string | undefined {
    if (this.opts.token) return `Bearer ${this.opts.token}`
    if (this.opts.principal !== undefined && this.opts.secret !== undefined) {
      return `Basic ${Buffer.from(`${this.opts.principal}:${this.opts.secret}`).toString('base64')}`
    }
    return undefined
  }

  /**
   * Sends one request. Transport failures throw a MesosError naming the endpoint; any HTTP status
   * comes back as a response (see `expectOk`).
   */
  async request(e: Endpoint, path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    const method = opts.method ?? 'GET'
    const full = withQuery(path, opts.query)
    const agent = this.agentFor(e.scheme)
    if (e.scheme === 'https' && this.opts.insecure && !this.warnedInsecure) {
      this.warnedInsecure = true
      this.opts.warn?.('TLS certificate verification is off (insecure): anyone on the path can read and change the answers')
    }
    const headers: Record<string, string> = { 'user-agent': 'mesos-cli', ...opts.headers }
    const auth = this.authHeader()
    if (auth && !headers.authorization) headers.authorization = auth
    if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body))
    const url = `${origin(e)}${e.prefix ?? ''}${full}`
    this.opts.debug?.(`> ${method} ${url}`)
    const started = Date.now()
    const ms = Math.round(this.opts.timeoutSec * 1000)
    const bodyMs = opts.bodyTimeoutSec === null ? 0 : Math.round((opts.bodyTimeoutSec ?? this.opts.timeoutSec) * 1000)
    const signals = [opts.signal, this.opts.signal].filter((s): s is AbortSignal => s !== undefined)
    const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals)
    const mod = e.scheme === 'https' ? https() : http

    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = mod.request(
        { host: e.host, port: e.port, path: `${e.prefix ?? ''}${full}`, method, headers, agent, ...(signal ? { signal } : {}) },
        (r) => {
          clearTimeout(timer)
          // From here on the timeout is the idle time between body chunks (none for streams).
          req.setTimeout(bodyMs, () => req.destroy(timeoutError(TIMEOUT.body)))
          resolve(r)
        },
      )
      let connected = false
      req.on('socket', (s) => {
        if (!s.connecting) connected = true
        else s.once(e.scheme === 'https' ? 'secureConnect' : 'connect', () => (connected = true))
      })
      const timer = setTimeout(() => req.destroy(timeoutError(connected ? TIMEOUT.headers : TIMEOUT.connect)), ms)
      req.on('error', (err) => {
        clearTimeout(timer)
        this.opts.debug?.(`< ${method} ${url} failed after ${Date.now() - started} ms: ${err.message}`)
        reject(err.name === 'AbortError' ? err : transportError(e, err, this.opts.timeoutSec))
      })
      req.end(opts.body)
    })
    this.opts.debug?.(`< ${res.statusCode} ${method} ${url} (${Date.now() - started} ms)`)
    const bytes = () =>
      new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve(Buffer.concat(chunks)))
        res.on('error', (err) => reject(err.name === 'AbortError' ? err : transportError(e, err, this.opts.timeoutSec)))
        res.on('aborted', () => reject(transportError(e, Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), this.opts.timeoutSec)))
      })
    return {
      status: res.statusCode ?? 0,
      headers: res.headers,
      body: res,
      path: full,
      bytes,
      text: async () => (await bytes()).toString('utf8'),
      dump: () =>
        new Promise<void>((resolve) => {
          // a body already received still has to be read for the socket to return to the pool
          res.resume()
          if (res.complete) return resolve()
          res.on('end', resolve)
          res.on('error', () => resolve())
          res.on('close', resolve)
        }),
    }
  }

  /**
   * GET with the pre-1.8 fallback: 1.8 removed the `.json` spellings and older masters and agents
   * may serve only those (0.24 and earlier), so a 404 on `/x` is retried once as `/x.json`.
   */
  async get(e: Endpoint, path: string, opts: RequestOptions & { jsonFallback?: boolean } = {}): Promise<HttpResponse> {
    const res = await this.request(e, path, opts)
    if (res.status !== 404 || opts.jsonFallback === false || (opts.method ?? 'GET') !== 'GET') return res
    const [pathname, query] = splitQuery(path)
    if (pathname.endsWith('.json') || pathname.endsWith('/')) return res
    await res.dump()
    const retry = await this.request(e, `${pathname}.json${query}`, opts)
    if (retry.status === 404) {
      await retry.dump()
      return { ...res, path: withQuery(path, opts.query), text: async () => '', bytes: async () => Buffer.alloc(0) }
    }
    return retry
  }

  /**
   * Streams a GET body into `dest` (multi-GB sandbox files), respecting its back-pressure.
   * Non-2xx answers are returned with their body text, not streamed; `onStart` runs just before
   * the first byte of a 2xx body.
   */
  async download(
    e: Endpoint,
    path: string,
    dest: NodeJS.WritableStream,
    opts: { query?: Query; signal?: AbortSignal; onStart?: () => void } = {},
  ): Promise<{ status: number; bytes: number; body?: string }> {
    const res = await this.request(e, path, opts)
    if (res.status < 200 || res.status >= 300) return { status: res.status, bytes: 0, body: await res.text() }
    opts.onStart?.()
    return new Promise((resolve, reject) => {
      let bytes = 0
      const body = res.body
      body.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        if (!dest.write(chunk)) {
          body.pause()
          dest.once('drain', () => body.resume())
        }
      })
      body.on('end', () => resolve({ status: res.status, bytes }))
      body.on('error', (err) => reject(err.name === 'AbortError' ? err : transportError(e, err, this.opts.timeoutSec)))
    })
  }

  /** Throws the status error of a non-2xx response (after reading its body for the message). */
  async expectOk(e: Endpoint, res: HttpResponse, method = 'GET'): Promise<HttpResponse> {
    if (res.status >= 200 && res.status < 300) return res
    const text = await res.text().catch(() => '')
    throw statusError(e, method, res.path, res.status, text, res.headers)
  }

  /**
   * GET and parse JSON. With `latin1`, the body is decoded byte-per-character so raw bytes that
   * Mesos puts in JSON strings unvalidated (/files/read) come back exactly.
   */
  async getJson<T>(
    e: Endpoint,
    path: string,
    opts: RequestOptions & { latin1?: boolean; jsonFallback?: boolean } = {},
  ): Promise<T> {
    const res = await this.expectOk(e, await this.get(e, path, opts), opts.method)
    const buf = await res.bytes()
    return parseJsonBody<T>(e, res.path, buf, opts.latin1 ?? false)
  }

  async close(): Promise<void> {
    this.agents.http?.destroy()
    this.agents.https?.destroy()
    this.agents = {}
  }
}

function splitQuery(path: string): [string, string] {
  const q = path.indexOf('?')
  return q < 0 ? [path, ''] : [path.slice(0, q), path.slice(q)]
}

export function parseJsonBody<T>(e: Endpoint, path: string, buf: Buffer, latin1: boolean): T {
  const text = buf.toString(latin1 ? 'latin1' : 'utf8')
  try {
    return JSON.parse(text) as T
  } catch {
    const jsonp = /^\s*[\w$.]+\(([\s\S]*)\);?\s*$/.exec(text)
    if (jsonp) return JSON.parse(jsonp[1]!) as T
    throw statusError(e, 'GET', path, 200, `not JSON: ${text.slice(0, 80)}`, {})
  }
}
