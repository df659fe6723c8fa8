/**
 * The one HTTP client for masters and agents, on undici: keep-alive pools, a per-request timeout,
 * basic or bearer authentication, TLS with a CA bundle or (with a warning) without verification,
 * and `--debug` request logging that never shows credentials. undici is imported on first use.
 */
import { readFileSync } from 'node:fs'
import type { Readable } from 'node:stream'
import type { Agent } from 'undici'
import { usageError } from '../errors.js'
import { type Endpoint, hostPort, origin, type Query, withQuery } from './endpoint.js'
import { statusError, transportError } from './errors.js'

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

export class HttpClient {
  private agent?: Agent
  private warnedInsecure = false
  requestCount = 0

  constructor(readonly opts: HttpOptions) {}

  private async dispatcher(): Promise<Agent> {
    if (this.agent) return this.agent
    const { Agent } = await import('undici')
    let ca: Buffer | undefined
    if (this.opts.caFile) {
      try {
        ca = readFileSync(this.opts.caFile)
      } catch (err) {
        throw usageError(
          `cannot read ca_file ${this.opts.caFile}: ${(err as NodeJS.ErrnoException).code ?? err}`,
        )
      }
    }
    const ms = Math.round(this.opts.timeoutSec * 1000)
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      connections: this.opts.maxConnections ?? 16,
      headersTimeout: ms,
      bodyTimeout: ms,
      connect: {
        timeout: ms,
        ...(ca ? { ca } : {}),
        rejectUnauthorized: !this.opts.insecure,
      },
    })
    return this.agent
  }

  private caCache?: Buffer | null

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

  /**
   * Streams a GET body into `dest` with node's own http client, which moves bulk data about twice
   * as fast as undici here (multi-GB sandbox files). Non-2xx answers are returned, not streamed.
   */
  async download(
    e: Endpoint,
    path: string,
    dest: NodeJS.WritableStream,
    opts: { query?: Query; signal?: AbortSignal } = {},
  ): Promise<{ status: number; bytes: number; body?: string }> {
    const full = `${e.prefix ?? ''}${withQuery(path, opts.query)}`
    const mod = e.scheme === 'https' ? await import('node:https') : await import('node:http')
    const headers: Record<string, string> = { 'user-agent': 'mesos-cli' }
    const auth = this.authHeader()
    if (auth) headers.authorization = auth
    const url = `${origin(e)}${full}`
    this.opts.debug?.(`> GET ${url} (download)`)
    this.requestCount++
    const started = Date.now()
    const ms = Math.round(this.opts.timeoutSec * 1000)
    const ca = this.ca()
    return new Promise((resolve, reject) => {
      const req = mod.request(
        {
          host: e.host,
          port: e.port,
          path: full,
          method: 'GET',
          headers,
          ...(e.scheme === 'https' ? { ca, rejectUnauthorized: !this.opts.insecure } : {}),
          signal: opts.signal ?? this.opts.signal,
        },
        (res) => {
          const status = res.statusCode ?? 0
          this.opts.debug?.(`< ${status} GET ${url} (${Date.now() - started} ms to headers)`)
          if (status < 200 || status >= 300) {
            let body = ''
            res.setEncoding('utf8')
            res.on('data', (c: string) => {
              body += c
            })
            res.on('end', () => resolve({ status, bytes: 0, body }))
            res.on('error', (err) => reject(transportError(e, err, this.opts.timeoutSec)))
            return
          }
          let bytes = 0
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length
            if (!dest.write(chunk)) {
              res.pause()
              dest.once('drain', () => res.resume())
            }
          })
          res.on('end', () => resolve({ status, bytes }))
          res.on('error', (err) => reject(transportError(e, err, this.opts.timeoutSec)))
          res.setTimeout(ms, () => res.destroy(Object.assign(new Error('idle'), { code: 'UND_ERR_BODY_TIMEOUT' })))
        },
      )
      req.setTimeout(ms, () => req.destroy(Object.assign(new Error('timeout'), { code: 'UND_ERR_HEADERS_TIMEOUT' })))
      req.on('error', (err) => {
        if ((err as Error).name === 'AbortError') reject(err)
        else reject(transportError(e, err, this.opts.timeoutSec))
      })
      req.end()
    })
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
    const agent = await this.dispatcher()
    if (e.scheme === 'https' && this.opts.insecure && !this.warnedInsecure) {
      this.warnedInsecure = true
      this.opts.warn?.(
        'TLS certificate verification is off (insecure): anyone on the path can read and change the answers',
      )
    }
    const headers: Record<string, string> = { 'user-agent': 'mesos-cli', ...opts.headers }
    const auth = this.authHeader()
    if (auth && !headers.authorization) headers.authorization = auth
    const started = Date.now()
    const url = `${origin(e)}${e.prefix ?? ''}${full}`
    this.opts.debug?.(`> ${method} ${url}`)
    this.requestCount++
    const signals = [opts.signal, this.opts.signal].filter((s): s is AbortSignal => s !== undefined)
    let res: Awaited<ReturnType<Agent['request']>>
    try {
      res = await agent.request({
        origin: origin(e),
        path: `${e.prefix ?? ''}${full}`,
        method: method as 'GET',
        headers,
        ...(opts.body !== undefined ? { body: opts.body } : {}),
        ...(signals.length ? { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) } : {}),
        ...(opts.bodyTimeoutSec === null
          ? { bodyTimeout: 0 }
          : opts.bodyTimeoutSec !== undefined
            ? { bodyTimeout: Math.round(opts.bodyTimeoutSec * 1000) }
            : {}),
      })
    } catch (err) {
      this.opts.debug?.(
        `< ${method} ${url} failed after ${Date.now() - started} ms: ${(err as Error).message}`,
      )
      if ((err as Error).name === 'AbortError') throw err
      throw transportError(e, err, this.opts.timeoutSec)
    }
    this.opts.debug?.(`< ${res.statusCode} ${method} ${url} (${Date.now() - started} ms)`)
    const body = res.body
    const bytes = async () => {
      try {
        return Buffer.from(await body.arrayBuffer())
      } catch (err) {
        if ((err as Error).name === 'AbortError') throw err
        throw transportError(e, err, this.opts.timeoutSec)
      }
    }
    return {
      status: res.statusCode,
      headers: res.headers,
      body,
      path: full,
      bytes,
      text: async () => (await bytes()).toString('utf8'),
      dump: async () => {
        try {
          await body.dump()
        } catch {
          // nothing to reuse then
        }
      },
    }
  }

  /**
   * GET with the pre-1.8 fallback: 1.8 removed the `.json` spellings and older masters and agents
   * may serve only those (0.24 and earlier), so a 404 on `/x` is retried once as `/x.json`.
   */
  async get(
    e: Endpoint,
    path: string,
    opts: RequestOptions & { jsonFallback?: boolean } = {},
  ): Promise<HttpResponse> {
    const res = await this.request(e, path, opts)
    if (res.status !== 404 || opts.jsonFallback === false || (opts.method ?? 'GET') !== 'GET') return res
    const [pathname, query] = splitQuery(path)
    if (pathname.endsWith('.json') || pathname.endsWith('/')) return res
    await res.dump()
    const retry = await this.request(e, `${pathname}.json${query}`, opts)
    if (retry.status === 404) {
      await retry.dump()
      return {
        ...res,
        path: withQuery(path, opts.query),
        text: async () => '',
        bytes: async () => Buffer.alloc(0),
      }
    }
    return retry
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
    const a = this.agent
    this.agent = undefined
    if (a) await a.destroy().catch(() => {})
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

export { hostPort }
