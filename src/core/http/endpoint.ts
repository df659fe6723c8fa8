/** Where a request goes: a master or an agent, by scheme, host, port and optional path prefix. */

export type Role = 'master' | 'agent'

export interface Endpoint {
  role: Role
  scheme: 'http' | 'https'
  host: string
  port: number
  /** Path prefix for a master behind a proxy ('' or e.g. '/mesos'). */
  prefix?: string
}

export function hostPort(e: Pick<Endpoint, 'host' | 'port'>): string {
  return formatHostPort(e.host, e.port)
}

export function origin(e: Endpoint): string {
  return `${e.scheme}://${hostPort(e)}`
}

export function baseUrl(e: Endpoint): string {
  return `${origin(e)}${e.prefix ?? ''}`
}

export type Query = Record<string, string | number | boolean | undefined>

export function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const parts: string[] = []
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
  }
  if (parts.length === 0) return path
  return `${path}${path.includes('?') ? '&' : '?'}${parts.join('&')}`
}

/** `host:port`, with an IPv6 host in brackets. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}
