/**
 * Master specs (spec section 3), parsed without any I/O:
 *   host | host:port | master@host:port | http(s)://host[:port][/prefix] |
 *   zk://[user:password@]h1[:p1][,h2[:p2]...]/path | file:///path
 */
import { cut, ECHO_MAX, MASK, maskSpec, specPasswords } from '../secrets/mask.js'
import { usageError } from '../errors.js'
import { formatHostPort } from '../http/endpoint.js'

export const DEFAULT_MASTER_PORT = 5050
export const DEFAULT_ZK_PORT = 2181

export interface DirectSpec {
  kind: 'direct'
  host: string
  port: number
  /** Set when the spec was a URL: it overrides the profile's scheme. */
  scheme?: 'http' | 'https'
  /** A path prefix for masters behind a proxy, without trailing slash ('' for none). */
  prefix: string
}

export interface ZkSpec {
  kind: 'zk'
  /** `host:port` of each ZooKeeper server. */
  servers: string[]
  path: string
  auth?: { user: string; password: string }
}

export interface FileSpec {
  kind: 'file'
  path: string
}

export type MasterSpec = DirectSpec | ZkSpec | FileSpec

/** The spec is echoed masked (no password) and cut (a spec file may hold megabytes). */
function bad(input: string, why: string, hints: string[] = []): never {
  const spec = input.length > 4096 ? input.slice(0, 4096) : input
  let reason = cut(why)
  for (const pw of specPasswords(spec)) reason = reason.split(pw).join(MASK)
  throw usageError(`invalid master spec "${cut(maskSpec(spec), ECHO_MAX, input.length)}": ${maskSpec(reason)}`, [
    ...hints,
    'expected host:port, http(s)://host:port, zk://host:2181/mesos or file:///path',
  ])
}

function parsePort(spec: string, text: string): number {
  if (!/^\d+$/.test(text)) bad(spec, `bad port "${text}"`)
  const n = Number(text)
  if (n < 1 || n > 65535) bad(spec, `port ${n} out of range`)
  return n
}

/** Splits `host[:port]` or `[v6]:port`. */
export function splitHostPort(
  spec: string,
  text: string,
  defaultPort: number,
): { host: string; port: number } {
  if (text.startsWith('[')) {
    const end = text.indexOf(']')
    if (end < 0) bad(spec, 'unterminated IPv6 address')
    const host = text.slice(1, end)
    const rest = text.slice(end + 1)
    if (rest === '') return { host, port: defaultPort }
    if (!rest.startsWith(':')) bad(spec, `unexpected "${rest}" after the address`)
    return { host, port: parsePort(spec, rest.slice(1)) }
  }
  const colon = text.lastIndexOf(':')
  if (colon >= 0 && text.indexOf(':') !== colon) return { host: text, port: defaultPort } // bare IPv6
  const host = colon >= 0 ? text.slice(0, colon) : text
  if (host === '') bad(spec, 'missing host')
  if (host.length > 253) bad(spec, 'host name longer than 253 characters')
  if (/[\s/@]/.test(host)) bad(spec, `bad host "${host}"`)
  return { host, port: colon >= 0 ? parsePort(spec, text.slice(colon + 1)) : defaultPort }
}

function parseZk(spec: string, body: string): ZkSpec {
  // Credentials end at the last '@' (as Mesos parses them); the path starts at the first '/' after.
  let rest = body
  let auth: ZkSpec['auth']
  const at = rest.lastIndexOf('@')
  if (at >= 0) {
    const cred = rest.slice(0, at)
    rest = rest.slice(at + 1)
    const colon = cred.indexOf(':')
    if (colon <= 0) bad(spec, 'credentials must be user:password')
    auth = { user: cred.slice(0, colon), password: cred.slice(colon + 1) }
  }
  const slash = rest.indexOf('/')
  if (slash < 0) bad(spec, 'missing the ZooKeeper path', ['did you forget /mesos? e.g. zk://host:2181/mesos'])
  const hosts = rest.slice(0, slash)
  let path = rest.slice(slash).replace(/\/+$/, '')
  if (path === '') bad(spec, 'expecting a (chroot) path, not "/"', ['did you forget /mesos?'])
  path = path.replace(/\/{2,}/g, '/')
  const servers = hosts.split(',').map((h) => {
    if (h.trim() === '') bad(spec, 'empty ZooKeeper server in the list')
    const { host, port } = splitHostPort(spec, h.trim(), DEFAULT_ZK_PORT)
    return formatHostPort(host, port)
  })
  return { kind: 'zk', servers, path, ...(auth ? { auth } : {}) }
}

function parseUrl(spec: string, text: string): DirectSpec {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    bad(spec, 'not a valid URL')
  }
  const scheme = url.protocol === 'https:' ? 'https' : 'http'
  if (url.username || url.password)
    bad(spec, 'credentials do not belong in the URL', ['set principal/secret instead'])
  if (url.search || url.hash) bad(spec, 'a master URL takes no query or fragment')
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  if (host === '') bad(spec, 'missing host')
  const port = url.port ? Number(url.port) : scheme === 'https' ? 443 : 80
  return { kind: 'direct', host, port, scheme, prefix: url.pathname.replace(/\/+$/, '') }
}

export function parseMasterSpec(input: string): MasterSpec {
  const spec = input.trim()
  if (spec === '') bad(input, 'empty')
  const lower = spec.toLowerCase()
  if (lower.startsWith('zk://')) return parseZk(spec, spec.slice(5))
  if (lower.startsWith('file://')) {
    const path = decodeURIComponent(spec.slice(7))
    if (!path.startsWith('/')) bad(spec, 'file:// needs an absolute path, e.g. file:///etc/mesos/zk')
    return { kind: 'file', path }
  }
  if (lower.startsWith('http://') || lower.startsWith('https://')) return parseUrl(spec, spec)
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) bad(spec, 'unsupported scheme')
  // A libprocess UPID: `master@host:port`; the part before '@' is the process ID.
  const at = spec.lastIndexOf('@')
  const addr = at >= 0 ? spec.slice(at + 1) : spec
  if (addr.includes('/')) bad(spec, 'a path needs a URL, e.g. http://host:5050/prefix')
  const { host, port } = splitHostPort(spec, addr, DEFAULT_MASTER_PORT)
  return { kind: 'direct', host, port, prefix: '' }
}

/** `host:port` from a libprocess PID such as `master@10.0.0.1:5050` or `slave(1)@10.0.0.2:5051`. */
export function addressFromPid(pid: string): { host: string; port: number } | undefined {
  const at = pid.lastIndexOf('@')
  if (at < 0) return undefined
  const m = /^(.+):(\d+)$/.exec(pid.slice(at + 1))
  if (!m) return undefined
  const port = Number(m[2])
  if (port < 1 || port > 65535) return undefined
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port }
}
