/**
 * The connection options of one host, OpenSSH-style: flags, then the profile's `ssh_*` keys, then
 * `~/.ssh/config`, then OpenSSH's defaults. Pure: the config arrives already computed for the host.
 */
import { join } from 'node:path'
import { usageError } from '../errors.js'
import type { StrictMode } from '../config/keys.js'

export interface SshFlags {
  user?: string
  port?: number
  identityFile?: string[]
  jump?: string
  strictHostKeyChecking?: StrictMode
}

/** The profile's `ssh_*` values that were set (defaults must not hide `~/.ssh/config`). */
export interface ProfileSsh {
  user?: string
  port?: number
  identity?: string
  jump?: string
  strict?: StrictMode
}

/** `ssh-config`'s computed view of one host, with lowercase keys. */
export type ComputedConfig = Record<string, string | string[]>

export interface JumpSpec {
  user?: string
  host: string
  port?: number
}

export interface HostOptions {
  /** The name we were asked to reach (an agent's hostname, a jump spec's host). */
  alias: string
  hostname: string
  port: number
  user: string
  identityFiles: string[]
  /** Named by a flag, the profile or the config: a missing one is worth a warning. */
  identitiesExplicit: boolean
  identitiesOnly: boolean
  strict: StrictMode
  /** The first one receives new keys. */
  knownHostsFiles: string[]
  globalKnownHostsFiles: string[]
  hashKnownHosts: boolean
  connectTimeoutSec: number
  jump: JumpSpec[]
}

export interface Context {
  home: string
  localUser: string
}

const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa']
const DEFAULT_CONNECT_TIMEOUT = 20

/** `[user@]host[:port]`, comma-separated, `[v6]:port` and `ssh://` forms included; `none` is no hop. */
export function parseJump(spec: string): JumpSpec[] {
  if (spec.trim() === '' || spec.trim().toLowerCase() === 'none') return []
  return spec.split(',').map((part) => {
    const s = part.trim().replace(/^ssh:\/\//, '')
    const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:@[\]]+)(?::(\d+))?$/.exec(s)
    if (!m) throw usageError(`invalid jump host "${part.trim()}": expected [USER@]HOST[:PORT]`)
    const port = m[3] === undefined ? undefined : Number(m[3])
    if (port !== undefined && (port < 1 || port > 65535)) throw usageError(`invalid port in jump host "${part.trim()}"`)
    return { user: m[1], host: m[2]!.replace(/^\[|\]$/g, ''), port }
  })
}

export function normaliseStrict(value: string | undefined): StrictMode | undefined {
  switch (value?.trim().toLowerCase()) {
    case 'yes':
    case 'true':
      return 'yes'
    case 'no':
    case 'off':
    case 'false':
      return 'no'
    case 'ask':
      return 'ask'
    case 'accept-new':
      return 'accept-new'
    default:
      return undefined
  }
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)
const list = (v: string | string[] | undefined) =>
  v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(/\s+/)).filter((s) => s !== '')
const yes = (v: string | string[] | undefined) => first(v)?.toLowerCase() === 'yes'

function portOf(v: string | string[] | undefined): number | undefined {
  const s = first(v)
  if (s === undefined) return undefined
  const n = Number(s)
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined
}

/** `~` and the `%` tokens ssh_config(5) allows in file names and HostName. */
export function expandTokens(
  s: string,
  t: { home: string; host?: string; alias?: string; port?: number; user?: string; localUser?: string },
): string {
  const out = s.replace(/%(.)/g, (all, c: string) => {
    switch (c) {
      case '%':
        return '%'
      case 'd':
        return t.home
      case 'h':
        return t.host ?? all
      case 'n':
        return t.alias ?? all
      case 'p':
        return t.port === undefined ? all : String(t.port)
      case 'r':
        return t.user ?? all
      case 'u':
        return t.localUser ?? all
      default:
        return all
    }
  })
  if (out === '~') return t.home
  return out.startsWith('~/') ? join(t.home, out.slice(2)) : out
}

/**
 * The options of the destination host. A jump hop is resolved the same way, from its own spec and
 * config (flags name the destination only, as with OpenSSH's `-l`/`-p`), sharing the destination's
 * identity files when its config names none.
 */
export function resolveHost(
  alias: string,
  cfg: ComputedConfig,
  ctx: Context,
  o: { flags?: SshFlags; profile?: ProfileSsh; hop?: JumpSpec; sharedIdentities?: string[] } = {},
): HostOptions {
  const flags = o.flags ?? {}
  const profile = o.profile ?? {}
  const hostname = expandTokens(first(cfg.hostname) ?? alias, { home: ctx.home, host: alias })
  const port = o.hop ? (o.hop.port ?? portOf(cfg.port) ?? 22) : (flags.port ?? profile.port ?? portOf(cfg.port) ?? 22)
  const user = o.hop
    ? (o.hop.user ?? first(cfg.user) ?? profile.user ?? ctx.localUser)
    : (flags.user ?? profile.user ?? first(cfg.user) ?? ctx.localUser)
  const tokens = { home: ctx.home, host: hostname, alias, port, user, localUser: ctx.localUser }

  const fromFlags = flags.identityFile?.length ? flags.identityFile : profile.identity ? [profile.identity] : []
  const fromConfig = list(cfg.identityfile).map((f) => expandTokens(f, tokens))
  const named = o.hop
    ? fromConfig.length > 0
      ? fromConfig
      : (o.sharedIdentities ?? [])
    : fromFlags.length > 0
      ? fromFlags.map((f) => expandTokens(f, tokens))
      : fromConfig
  const identityFiles = named.length > 0 ? named : DEFAULT_IDENTITIES.map((f) => join(ctx.home, '.ssh', f))

  const userFiles = list(cfg.userknownhostsfile).map((f) => expandTokens(f, tokens))
  const globalFiles = list(cfg.globalknownhostsfile).map((f) => expandTokens(f, tokens))
  const timeout = Number(first(cfg.connecttimeout))

  return {
    alias,
    hostname,
    port,
    user,
    identityFiles,
    identitiesExplicit: named.length > 0,
    identitiesOnly: yes(cfg.identitiesonly),
    strict:
      flags.strictHostKeyChecking ?? profile.strict ?? normaliseStrict(first(cfg.stricthostkeychecking)) ?? 'ask',
    knownHostsFiles:
      userFiles.length > 0 ? userFiles : [join(ctx.home, '.ssh', 'known_hosts'), join(ctx.home, '.ssh', 'known_hosts2')],
    globalKnownHostsFiles:
      globalFiles.length > 0 ? globalFiles : ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
    hashKnownHosts: yes(cfg.hashknownhosts),
    connectTimeoutSec: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_CONNECT_TIMEOUT,
    jump: o.hop ? [] : parseJump(flags.jump ?? profile.jump ?? first(cfg.proxyjump) ?? ''),
  }
}
