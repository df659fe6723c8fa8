/**
 * The one HTTP client for masters and agents: keep-alive pools (at most `max_workers` sockets per
 * host), a deadline per request, basic or bearer authentication (never sent over plain http unless
 * the user chose http), the cluster's scheme for every agent, TLS with a CA bundle or (with a
 * warning) without verification, answers checked against the shapes the CLI reads
 * (validate.ts), and `--debug` request logging that never shows credentials.
 *
 * It is built on node's own http/https: they cost nothing to load, where undici costs about 70 ms of
 * CPU at every start (bench/README.md), more than the whole start-up budget of a command that runs
 * on every TAB press. Neither moves a sandbox file of hundreds of MB at the speed of the wire: those
 * bodies (`stream`) are read off the socket into a reused buffer (bulk.ts).
 */
import { readFileSync } from 'node:fs'
import * as http from 'node:http'
import type * as Https from 'node:https'
import { createRequire } from 'node:module'
import { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { MesosError, setupError } from '../errors.js'
import { abortError, onAbort } from './abort.js'
import { BulkPool, type Consume } from './bulk.js'
import { type Endpoint, origin, type Query, withQuery } from './endpoint.js'
import { statusError, TIMEOUT, transportError } from './errors.js'
import { parseAnswer, parseAnswerText } from './validate.js'

export interface HttpOptions {
  timeoutSec: number
  maxConnections?: number
  principal?: string
  secret?: string
  token?: string
  caFile?: string
  insecure?: boolean
  /**
   * The cluster's scheme, from the resolved master URL or the profile: agents are reached with it
   * whatever scheme their caller guessed (a cluster read over https is read over https everywhere).
   */
  scheme?: 'http' | 'https'
  /** The user chose http explicitly (`scheme: http`, an `http://` master): credentials may go in clear. */
  plainCredentials?: boolean
  debug?: (line: string) => void
  warn?: (line: string) => void
  signal?: AbortSignal
}

export interface StreamOptions {
  query?: Query
  signal?: AbortSignal
  /** Turns a failure within the body into the caller's error. */
  inBody?: (err: Error) => Error
  /** The body is read whole (a deadline that grows with its size, not only an idle time). */
  whole?: boolean
  /** A 404 is asked again in the pre-1.8 `.json` spelling. */
  jsonFallback?: boolean
}

export interface RequestOptions {
  method?: string
  query?: Query
  headers?: Record<string, string>
  body?: string | Buffer
  /**
   * Seconds without data before giving up on a streamed body; `null` for endless streams. Bodies
   * read whole are bounded by the request's deadline instead.
   */
  bodyTimeoutSec?: number | null
  /** The body is copied out as it comes (a sandbox download): idle time bounds it, not a deadline. */
  streamed?: boolean
  signal?: AbortSignal
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Readable
  /** The request path with its query, as sent (without the endpoint prefix). */
  path: string
  /** Where it was sent (an agent's with the cluster's scheme). */
  endpoint?: Endpoint
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

/** node timers hold at most 2^31-1 ms (a longer one fires at once, with a warning). */
export function timerMs(sec: number): number {
  return Math.max(1, Math.min(Math.round(sec * 1000), 2 ** 31 - 1))
}

/**
 * A body read whole must arrive within the timeout, plus the time its size takes at this rate: a
 * 50 MB state from a big cluster gets its time, a master trickling a byte a second does not.
 */
const MIN_BYTES_PER_SEC = 256 * 1024

export class HttpClient {
  private agents: { http?: http.Agent; https?: Https.Agent } = {}
  private warnedInsecure = false
  private notedWithheld = false
  private caCache?: Buffer | null
  private bulk?: BulkPool

  constructor(readonly opts: HttpOptions) {}

  private ca(): Buffer | undefined {
    if (this.caCache === undefined) {
      if (!this.opts.caFile) this.caCache = null
      else {
        try {
          this.caCache = readFileSync(this.opts.caFile)
        } catch (err) {
          throw setupError(`cannot read ca_file ${this.opts.caFile}: ${(err as NodeJS.ErrnoException).code ?? err}`)
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

  /** Called when the leader is known: its scheme is the cluster's. */
  useScheme(scheme: 'http' | 'https'): void {
    this.opts.scheme = scheme
  }

  private hasCredentials(): boolean {
    return Boolean(this.opts.token) || (this.opts.principal !== undefined && this.opts.secret !== undefined)
  }

  /** Credentials travel only over https, or over http the user asked for by name. */
  private mayAuthenticate(scheme: 'http' | 'https'): boolean {
    return scheme === 'https' || this.opts.plainCredentials === true
  }

  private authHeader(): string | undefined {
    if (this.opts.token) return `Bearer ${this.opts.token}`
    if (this.opts.principal !== undefined && this.opts.secret !== undefined) {
      return `Basic ${Buffer.from(`${this.opts.principal}:${this.opts.secret}`).toString('base64')}`
    }
    return undefined
  }

  /** What every request is sent with: the cluster's scheme, the headers and credentials, the URL. */
  private prepare(asked: Endpoint, path: string, opts: RequestOptions) {
    const e: Endpoint = asked.role === 'agent' && this.opts.scheme ? { ...asked, scheme: this.opts.scheme } : asked
    const method = opts.method ?? 'GET'
    const full = withQuery(path, opts.query)
    if (e.scheme === 'https' && this.opts.insecure && !this.warnedInsecure) {
      this.warnedInsecure = true
      this.opts.warn?.('TLS certificate verification is off (insecure): anyone on the path can read and change the answers')
    }
    const headers: Record<string, string> = { 'user-agent': 'mesos-cli', ...opts.headers }
    const auth = this.mayAuthenticate(e.scheme) ? this.authHeader() : undefined
    if (auth && !headers.authorization) headers.authorization = auth
    if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body))
    const url = `${origin(e)}${e.prefix ?? ''}${full}`
    if (!auth && this.hasCredentials() && !this.notedWithheld) {
      this.notedWithheld = true
      this.opts.debug?.('credentials are not sent over plain http unless scheme http is set explicitly')
    }
    return { e, method, full, headers, url }
  }

  /**
   * Sends one request. Transport failures throw a MesosError naming the endpoint; any HTTP status
   * comes back as a response (see `expectOk`).
   */
  async request(asked: Endpoint, path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    const { e, method, full, headers, url } = this.prepare(asked, path, opts)
    const agent = this.agentFor(e.scheme)
    this.opts.debug?.(`> ${method} ${url}`)
    const started = Date.now()
    const ms = timerMs(this.opts.timeoutSec)
    const endless = opts.bodyTimeoutSec === null
    const idleMs = endless ? 0 : timerMs(opts.bodyTimeoutSec ?? this.opts.timeoutSec)
    const mod = e.scheme === 'https' ? https() : http
    let expired: Error | undefined

    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = mod.request(
        { host: e.host, port: e.port, path: `${e.prefix ?? ''}${full}`, method, headers, agent },
        (r) => {
          clearTimeout(timer)
          // The body's reader gets the error in words ("master … did not answer within 3s").
          const expire = () => {
            expired = transportError(e, timeoutError(TIMEOUT.body), this.opts.timeoutSec)
            r.destroy(expired)
          }
          if (opts.streamed || endless) {
            // A streamed body is bounded by its idle time (none for endless streams).
            req.setTimeout(idleMs, expire)
          } else bodyDeadline(r, started + ms, expire)
          r.once('close', unlink)
          resolve(r)
        },
      )
      // One listener per signal, however many requests share it (abort.ts).
      const unlink = onAbort([opts.signal, this.opts.signal], (reason) => req.destroy(abortError(reason)))
      let connected = false
      req.on('socket', (s) => {
        if (!s.connecting) connected = true
        else s.once(e.scheme === 'https' ? 'secureConnect' : 'connect', () => (connected = true))
      })
      const timer = setTimeout(() => req.destroy(timeoutError(connected ? TIMEOUT.headers : TIMEOUT.connect)), ms)
      req.on('error', (err) => {
        clearTimeout(timer)
        unlink()
        this.opts.debug?.(`< ${method} ${url} failed after ${Date.now() - started} ms: ${err.message}`)
        reject(err.name === 'AbortError' ? err : transportError(e, err, this.opts.timeoutSec))
      })
      req.end(opts.body)
    })
    this.opts.debug?.(`< ${res.statusCode} ${method} ${url} (${Date.now() - started} ms)`)
    let read: Promise<Buffer> | undefined
    const bytes = () =>
      (read ??= new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve(Buffer.concat(chunks)))
        res.on('error', (err) => reject(expired ?? this.bodyError(e, err)))
        res.on('aborted', () =>
          reject(expired ?? transportError(e, Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), this.opts.timeoutSec)),
        )
      }))
    return {
      status: res.statusCode ?? 0,
      headers: res.headers,
      body: res,
      path: full,
      endpoint: e,
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
    const alt = jsonSpelling(path)
    if (alt === undefined) return res
    await res.dump()
    const retry = await this.request(e, alt, opts)
    if (retry.status === 404) {
      await retry.dump()
      return { ...res, path: withQuery(path, opts.query), text: async () => '', bytes: async () => Buffer.alloc(0) }
    }
    return retry
  }

  /**
   * A GET body of any size (a sandbox file) handed to `consume` piece by piece, each piece valid
   * only until `consume` returns or its promise settles (reading waits for it). A 2xx answer
   * resolves to the number of bytes consumed; any other status to its response, body read.
   * Pieces are read off the socket into a reused buffer (bulk.ts); an answer framed otherwise than
   * by Content-Length or chunked coding is asked again through node:http. Failures before the body throw as
   * `request` does; failures within it go through `inBody`.
   */
  async stream(asked: Endpoint, path: string, consume: Consume, opts: StreamOptions = {}): Promise<number | HttpResponse> {
    const got = await this.streamOnce(asked, path, consume, opts)
    // as `get` does: a 404 is asked again in the pre-1.8 `.json` spelling (the consumer saw nothing of it)
    const alt = opts.jsonFallback ? jsonSpelling(path) : undefined
    if (typeof got === 'number' || got.status !== 404 || alt === undefined) return got
    await got.dump()
    const again = await this.streamOnce(asked, alt, consume, opts)
    return typeof again !== 'number' && again.status === 404 ? got : again
  }

  private async streamOnce(asked: Endpoint, path: string, consume: Consume, opts: StreamOptions): Promise<number | HttpResponse> {
    const { e, full, headers, url } = this.prepare(asked, path, opts)
    const inBody = (err: Error) => (err.name === 'AbortError' ? err : (opts.inBody?.(err) ?? err))
    this.opts.debug?.(`> GET ${url}`)
    const started = Date.now()
    this.bulk ??= new BulkPool(this.opts.maxConnections ?? 16)
    const target = {
      scheme: e.scheme,
      host: e.host,
      port: e.port,
      path: `${e.prefix ?? ''}${full}`,
      headers,
      ...(e.scheme === 'https' ? { ca: this.ca(), rejectUnauthorized: !this.opts.insecure } : { rejectUnauthorized: true }),
    }
    const wrap = (err: Error, body: boolean) => {
      this.opts.debug?.(`< GET ${url} failed after ${Date.now() - started} ms: ${err.message}`)
      const made = transportError(e, err, this.opts.timeoutSec)
      return body ? inBody(made) : made
    }
    const got = await this.bulk.get(target, consume, {
      headMs: timerMs(this.opts.timeoutSec),
      idleMs: timerMs(this.opts.timeoutSec),
      signals: [opts.signal, this.opts.signal],
      wrap,
      // a body read whole has a deadline, as in `request`; a copied one only an idle time
      ...(opts.whole ? { bytesPerSec: MIN_BYTES_PER_SEC } : {}),
    })
    if (got.kind === 'streamed') {
      this.opts.debug?.(`< ${got.status} GET ${url} (${Date.now() - started} ms, ${got.bytes} bytes)`)
      return got.bytes
    }
    if (got.kind === 'answered') {
      this.opts.debug?.(`< ${got.status} GET ${url} (${Date.now() - started} ms)`)
      return answered(got.status, got.headers, got.body, full, e)
    }
    this.opts.debug?.(`< ${got.status || 'unframed'} GET ${url}: asked again through node:http for its framing`)
    const res = await this.request(asked, path, { ...opts, streamed: true })
    if (res.status < 200 || res.status >= 300) return res
    let bytes = 0
    const pieces = res.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>
    for (;;) {
      let next: IteratorResult<Buffer>
      try {
        next = await pieces.next()
      } catch (err) {
        throw inBody(this.bodyError(e, err as Error))
      }
      if (next.done) return bytes
      bytes += next.value.length
      try {
        // the consumer's own failure is its own: not reported as the transfer's
        await consume(next.value)
      } catch (err) {
        res.body.destroy()
        throw err
      }
    }
  }

  private bodyError(e: Endpoint, err: Error): Error {
    return err.name === 'AbortError' || err instanceof MesosError ? err : transportError(e, err, this.opts.timeoutSec)
  }

  /** Throws the status error of a non-2xx response (after reading its body for the message). */
  async expectOk(asked: Endpoint, res: HttpResponse, method = 'GET'): Promise<HttpResponse> {
    if (res.status >= 200 && res.status < 300) return res
    const e = res.endpoint ?? asked
    const text = await res.text().catch(() => '')
    const err = statusError(e, method, res.path, res.status, text, res.headers)
    if (res.status === 401 && this.hasCredentials() && !this.mayAuthenticate(e.scheme)) {
      throw Object.assign(err, {
        hints: [
          'credentials are never sent over plain http unless asked: use an https:// master or scheme https,',
          'or set scheme http explicitly (mesos config scheme http) to send them in clear',
        ],
      })
    }
    throw err
  }

  /**
   * GET, parse and check JSON against the shape of its endpoint (validate.ts). With `latin1`, the
   * body is decoded byte-per-character so raw bytes that Mesos puts in JSON strings unvalidated
   * (/files/read) come back exactly.
   */
  async getJson<T>(
    e: Endpoint,
    path: string,
    opts: RequestOptions & { latin1?: boolean; jsonFallback?: boolean; bulk?: boolean } = {},
  ): Promise<T> {
    if (opts.bulk && (opts.method ?? 'GET') === 'GET' && opts.body === undefined) return this.getJsonBulk<T>(e, path, opts)
    const res = await this.expectOk(e, await this.get(e, path, opts), opts.method)
    const buf = await res.bytes()
    return parseAnswer<T>(res.endpoint ?? e, res.path, buf, opts.latin1 ?? false)
  }

  /**
   * `getJson` of one of many small answers from many hosts (every agent's statistics): the body is
   * read by `stream` and decoded as it arrives, so no buffer is made per answer (node's http client
   * allocates 64 KiB per read, a thousand answers' worth before a major GC frees them). The same
   * checks: the `.json` spelling after a 404, statuses, a deadline that grows with the size.
   */
  private async getJsonBulk<T>(e: Endpoint, path: string, opts: RequestOptions & { latin1?: boolean; jsonFallback?: boolean }): Promise<T> {
    const decoder = new StringDecoder(opts.latin1 ? 'latin1' : 'utf8')
    const parts: string[] = []
    const got = await this.stream(e, path, (piece) => void parts.push(decoder.write(piece)), {
      query: opts.query,
      signal: opts.signal,
      whole: true,
      jsonFallback: opts.jsonFallback !== false,
    })
    if (typeof got !== 'number') await this.expectOk(e, got)
    return parseAnswerText<T>(e, typeof got === 'number' ? withQuery(path, opts.query) : got.path, parts.join('') + decoder.end())
  }

  async close(): Promise<void> {
    this.bulk?.close()
    this.agents.http?.destroy()
    this.agents.https?.destroy()
    this.agents = {}
  }
}

/** An answer already read whole, as a response. */
function answered(status: number, headers: Record<string, string>, body: Buffer, path: string, endpoint: Endpoint): HttpResponse {
  return {
    status,
    headers,
    body: Readable.from([body]),
    path,
    endpoint,
    bytes: async () => body,
    text: async () => body.toString('utf8'),
    dump: async () => {},
  }
}

/** The pre-1.8 `.json` spelling of a path, when it has one. */
function jsonSpelling(path: string): string | undefined {
  const q = path.indexOf('?')
  const [pathname, query] = q < 0 ? [path, ''] : [path.slice(0, q), path.slice(q)]
  return pathname.endsWith('.json') || pathname.endsWith('/') ? undefined : `${pathname}.json${query}`
}

/**
 * Bounds a body read whole: it must end by `deadline`, extended by the time its bytes so far take
 * at MIN_BYTES_PER_SEC. The timer is unref'd: an unread body must not keep the process alive.
 */
function bodyDeadline(res: http.IncomingMessage, deadline: number, expire: () => void): void {
  const socket = res.socket
  const base = socket?.bytesRead ?? 0
  let timer: NodeJS.Timeout | undefined
  const arm = () => {
    const received = (socket?.bytesRead ?? base) - base
    const due = deadline + (received / MIN_BYTES_PER_SEC) * 1000
    const left = due - Date.now()
    if (left <= 0) return expire()
    timer = setTimeout(arm, Math.min(left, 2 ** 31 - 1))
    timer.unref()
  }
  arm()
  res.once('close', () => clearTimeout(timer))
  res.once('end', () => clearTimeout(timer))
}
