/**
 * Requests to the leading master. The leader is found lazily (from the on-disk cache when it is
 * fresh), a leader-only request that still gets a 307 follows it to the new leader, and a cached
 * leader that no longer answers is resolved again once before giving up.
 */
import { MesosError, masterError } from '../errors.js'
import type { Consume } from '../http/bulk.js'
import type { HttpClient, HttpResponse, RequestOptions } from '../http/client.js'
import type { Endpoint, Query } from '../http/endpoint.js'
import { parseAnswer } from '../http/validate.js'
import { type Leader, leaderAddress, leaderEndpoint, locationAddress } from './resolve.js'

export type LeaderLocator = (fresh: boolean) => Promise<{ leader: Leader; cached: boolean }>

export interface MasterRequest extends RequestOptions {
  jsonFallback?: boolean
}

const MAX_REDIRECTS = 3

export class MasterClient {
  private current?: { leader: Leader; cached: boolean }

  constructor(
    readonly http: HttpClient,
    private readonly locate: LeaderLocator,
    private readonly onLeaderChange?: (leader: Leader) => Promise<void> | void,
  ) {}

  async leader(): Promise<Leader> {
    if (!this.current) this.current = await this.locate(false)
    return this.current.leader
  }

  /** Forgets the leader (after a failover) so the next request resolves it again. */
  async refresh(): Promise<Leader> {
    this.current = await this.locate(true)
    return this.current.leader
  }

  /** Points at another master named by the cluster itself (a redirect, a pre-1.0 state's `leader`). */
  async moveTo(address: { host: string; port: number }): Promise<Leader> {
    const base = await this.leader()
    const leader: Leader = { ...base, host: address.host, port: address.port, source: 'redirect' }
    this.current = { leader, cached: false }
    await this.onLeaderChange?.(leader)
    return leader
  }

  async request(path: string, opts: MasterRequest = {}): Promise<HttpResponse> {
    return (await this.follow(path, (e) => this.http.get(e, path, opts))) as HttpResponse
  }

  /**
   * A GET whose 2xx body goes to `consume` piece by piece as it arrives (`HttpClient.stream`: read
   * off the socket into a reused buffer), after the redirects and with the fallbacks of `request`:
   * the number of bytes consumed, or the answer of any other status.
   */
  stream(path: string, consume: Consume, opts: { query?: Query; signal?: AbortSignal } = {}): Promise<number | HttpResponse> {
    return this.follow(path, (e) => this.http.stream(e, path, consume, { ...opts, whole: true, jsonFallback: true }))
  }

  /** Sends `path` to the leader until it answers itself (redirects followed, a stale cached leader resolved again). */
  private async follow(path: string, send: (e: Endpoint) => Promise<number | HttpResponse>): Promise<number | HttpResponse> {
    let leader = await this.leader()
    for (let hop = 0; ; hop++) {
      let res: number | HttpResponse
      try {
        res = await send(leaderEndpoint(leader))
      } catch (err) {
        // A leader from the cache may be gone: ask again before blaming the cluster.
        if (err instanceof MesosError && err.kind === 'master' && this.current?.cached) {
          leader = await this.refresh()
          continue
        }
        throw err
      }
      if (typeof res === 'number') return res
      if (res.status === 307 || res.status === 301 || res.status === 302) {
        const raw = res.headers.location
        const loc = Array.isArray(raw) ? raw[0] : raw
        await res.dump()
        const next = loc ? locationAddress(loc) : undefined
        if (!next)
          throw masterError(`master ${leaderAddress(leader)} redirected ${path} without a usable Location`)
        if (hop >= MAX_REDIRECTS)
          throw masterError(`too many redirects between masters for ${path} (last: ${loc})`)
        leader = await this.moveTo(next)
        continue
      }
      if (res.status === 503) {
        const body = await res.text().catch(() => '')
        if (/no leader/i.test(body))
          throw masterError(`no leader elected: master ${leaderAddress(leader)} answered 503 ${body.trim()}`)
        throw masterError(
          `master ${leaderAddress(leader)} is unavailable (503 ${body.trim()})`.replace(/ \)$/, ')'),
        )
      }
      return res
    }
  }

  async getJson<T>(path: string, opts: MasterRequest = {}): Promise<T> {
    const leader = await this.leader()
    const res = await this.request(path, opts)
    const e = leaderEndpoint(this.current?.leader ?? leader)
    await this.http.expectOk(e, res)
    return parseAnswer<T>(e, res.path, await res.bytes())
  }
}
