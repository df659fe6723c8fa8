/**
 * From a master spec to the leading master: `zk://` reads ZooKeeper, `file://` reads the spec from a
 * file (nesting allowed, loops refused), and a direct address asks that master `/master/redirect`.
 */
import { masterError } from '../errors.js'
import type { HttpClient } from '../http/client.js'
import type { Endpoint } from '../http/endpoint.js'
import { formatHostPort } from '../http/endpoint.js'
import { type DirectSpec, parseMasterSpec, splitHostPort } from './spec.js'
import { readSpecFile } from './specfile.js'
import { readZkLeader } from './zk.js'

export interface Leader {
  scheme: 'http' | 'https'
  host: string
  port: number
  prefix: string
  source: 'zk' | 'redirect' | 'static'
  id?: string
  hostname?: string
  version?: string
  pid?: string
}

export interface ResolveContext {
  http: HttpClient
  /** The profile's scheme; a URL spec overrides it. */
  scheme: 'http' | 'https'
  zkTimeoutSec: number
  debug?: (line: string) => void
  signal?: AbortSignal
}

const MAX_FILE_NESTING = 8

export function leaderEndpoint(l: Leader): Endpoint {
  return { role: 'master', scheme: l.scheme, host: l.host, port: l.port, prefix: l.prefix }
}

export function leaderAddress(l: Pick<Leader, 'host' | 'port'>): string {
  return formatHostPort(l.host, l.port)
}

export function leaderUrl(l: Leader): string {
  return `${l.scheme}://${leaderAddress(l)}${l.prefix}`
}

export async function resolveLeader(spec: string, ctx: ResolveContext, seen: string[] = []): Promise<Leader> {
  const parsed = parseMasterSpec(spec)
  switch (parsed.kind) {
    case 'zk': {
      const found = await readZkLeader(parsed, {
        timeoutSec: ctx.zkTimeoutSec,
        debug: ctx.debug,
        signal: ctx.signal,
      })
      return {
        scheme: ctx.scheme,
        host: found.host,
        port: found.port,
        prefix: '',
        source: 'zk',
        ...(found.id ? { id: found.id } : {}),
        ...(found.hostname ? { hostname: found.hostname } : {}),
        ...(found.version ? { version: found.version } : {}),
        ...(found.pid ? { pid: found.pid } : {}),
      }
    }
    case 'file': {
      const { real, text } = await readSpecFile(parsed.path, { timeoutSec: ctx.http.opts.timeoutSec, signal: ctx.signal })
      if (seen.includes(real)) throw masterError(`master spec files loop: ${[...seen, real].join(' -> ')}`)
      if (seen.length >= MAX_FILE_NESTING)
        throw masterError(`master spec files nested deeper than ${MAX_FILE_NESTING}`)
      const inner = text.trim()
      if (inner === '') throw masterError(`master spec file ${parsed.path} is empty`)
      return resolveLeader(inner, ctx, [...seen, real])
    }
    case 'direct':
      return viaRedirect(parsed, ctx)
  }
}

/**
 * `/master/redirect` answers 307 with `Location: //host:port` naming the leader (even when asked of
 * the leader itself), keeping our scheme; 503 means no leader is elected. Masters older than the
 * endpoint answer 404 and are used as given, and so is a master behind a path prefix (a proxy),
 * whose redirect would name an address only reachable inside the cluster.
 */
async function viaRedirect(spec: DirectSpec, ctx: ResolveContext): Promise<Leader> {
  const scheme = spec.scheme ?? ctx.scheme
  const asGiven: Leader = { scheme, host: spec.host, port: spec.port, prefix: spec.prefix, source: 'static' }
  if (spec.prefix !== '') return asGiven
  const e: Endpoint = { role: 'master', scheme, host: spec.host, port: spec.port }
  const res = await ctx.http.request(e, '/master/redirect', { signal: ctx.signal })
  // Only a 503's body says anything (why there is no leader); any other is not waited for.
  const body = res.status === 503 ? await res.text().catch(() => '') : ''
  if (res.status !== 503) res.body.destroy()
  if (res.status === 503) {
    throw masterError(
      `no leader elected: master ${formatHostPort(spec.host, spec.port)} answered 503 ${body.trim()}`.trim(),
    )
  }
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.location
    const loc = Array.isArray(location) ? location[0] : location
    if (!loc)
      throw masterError(`master ${formatHostPort(spec.host, spec.port)} redirected without a Location`)
    const target = locationAddress(loc)
    if (!target)
      throw masterError(
        `master ${formatHostPort(spec.host, spec.port)} redirected to an unusable Location "${loc}"`,
      )
    return { scheme, host: target.host, port: target.port, prefix: '', source: 'redirect' }
  }
  ctx.debug?.(
    `  /master/redirect answered ${res.status}: using ${formatHostPort(spec.host, spec.port)} as given`,
  )
  return asGiven
}

/** `//host:port[/path]` (1.x) or `http://host:port` (0.22) → host and port; the scheme is ours. */
export function locationAddress(location: string): { host: string; port: number } | undefined {
  const m = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#]+)/i.exec(location.trim())
  if (!m) return undefined
  try {
    return splitHostPort(location, m[1]!, 5050)
  } catch {
    return undefined
  }
}
