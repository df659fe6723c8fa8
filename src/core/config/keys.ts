/**
 * Every key of a profile (spec section 2): its default, how a value is validated, whether it is a
 * secret. Values read from a file are accepted in the forms the original mesos-cli wrote them
 * ("false", "5"), and normalised to booleans and numbers.
 */

export const STRICT_MODES = ['yes', 'no', 'accept-new', 'ask'] as const
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const
export const SCHEMES = ['http', 'https'] as const

export type StrictMode = (typeof STRICT_MODES)[number]

export interface Profile {
  master: string
  scheme: (typeof SCHEMES)[number]
  response_timeout: number
  zk_timeout: number
  max_workers: number
  cache_ttl: number
  debug: boolean
  log_level: (typeof LOG_LEVELS)[number]
  log_file?: string
  principal?: string
  secret?: string
  token?: string
  ca_file?: string
  insecure: boolean
  ssh_user?: string
  ssh_port: number
  ssh_identity?: string
  ssh_jump?: string
  ssh_strict_host_keys: StrictMode
}

export type KeyName = keyof Profile

type Value = string | number | boolean

interface KeyDef {
  describe: string
  default?: Value
  secret?: boolean
  /** Enumerated values, for validation messages and completion. */
  values?: readonly string[]
  /** Returns the normalised value, or throws a message saying what was expected. */
  check(raw: unknown): Value
}

class Invalid extends Error {}

/** The longest wait a node timer can hold (2^31-1 ms), in whole seconds. */
export const MAX_TIMER_SEC = 2_147_483

function typeName(raw: unknown): string {
  return raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw === 'object' ? 'an object' : `a ${typeof raw}`
}

/** A string key takes a string: `"master": 5050` is a mistake, not host "5050". */
function str(raw: unknown): string {
  if (typeof raw === 'string' && raw.trim() !== '') return raw.trim()
  if (typeof raw === 'string') throw new Invalid('expected a non-empty string')
  throw new Invalid(`expected a string, got ${typeName(raw)}`)
}

function num(opts: { min: number; max?: number; integer?: boolean; what: string }) {
  return (raw: unknown): number => {
    if (typeof raw !== 'number' && typeof raw !== 'string') throw new Invalid(`expected ${opts.what}, got ${typeName(raw)}`)
    const n = typeof raw === 'number' ? raw : raw.trim() !== '' ? Number(raw) : Number.NaN
    const ok = Number.isFinite(n) && n >= opts.min && (opts.max === undefined || n <= opts.max)
    if (!ok || (opts.integer && !Number.isInteger(n))) throw new Invalid(`expected ${opts.what}`)
    return n
  }
}

function bool(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw
  if (typeof raw !== 'string' && typeof raw !== 'number') throw new Invalid(`expected true or false, got ${typeName(raw)}`)
  const s = String(raw).trim().toLowerCase()
  if (['true', 'yes', '1', 'on'].includes(s)) return true
  if (['false', 'no', '0', 'off'].includes(s)) return false
  throw new Invalid('expected true or false')
}

function oneOf(values: readonly string[]) {
  return (raw: unknown): string => {
    if (typeof raw !== 'string') throw new Invalid(`expected one of ${values.join(', ')}, got ${typeName(raw)}`)
    const s = raw.trim().toLowerCase()
    if (!values.includes(s)) throw new Invalid(`expected one of ${values.join(', ')}`)
    return s
  }
}

export const KEYS: Record<KeyName, KeyDef> = {
  master: {
    describe: 'master spec: host:port, http(s) URL, zk://..., file://...',
    default: 'localhost:5050',
    check: str,
  },
  scheme: {
    describe: 'http or https, for masters and agents',
    default: 'http',
    values: SCHEMES,
    check: oneOf(SCHEMES),
  },
  response_timeout: {
    describe: 'seconds per HTTP request',
    default: 5,
    check: num({ min: 0.001, max: MAX_TIMER_SEC, what: `a number of seconds from 0.001 to ${MAX_TIMER_SEC}` }),
  },
  zk_timeout: {
    describe: 'seconds to connect to ZooKeeper and read the leader',
    default: 5,
    check: num({ min: 0.001, max: MAX_TIMER_SEC, what: `a number of seconds from 0.001 to ${MAX_TIMER_SEC}` }),
  },
  max_workers: {
    describe: 'concurrent requests to agents',
    default: 16,
    check: num({ min: 1, max: 1024, integer: true, what: 'a whole number from 1 to 1024' }),
  },
  cache_ttl: {
    describe: 'seconds the on-disk cache of leader/task/agent data may be reused; 0 disables',
    default: 5,
    check: num({ min: 0, what: 'a number of seconds, 0 or more' }),
  },
  debug: { describe: 'log every request to stderr (same as --debug)', default: false, check: bool },
  log_level: {
    describe: 'level of the diagnostic log file',
    default: 'warning',
    values: LOG_LEVELS,
    check: oneOf(LOG_LEVELS),
  },
  log_file: { describe: 'optional diagnostic log file', check: str },
  principal: { describe: 'HTTP basic principal', check: str },
  secret: { describe: 'HTTP basic secret', secret: true, check: str },
  token: { describe: 'sent as Authorization: Bearer <token>', secret: true, check: str },
  ca_file: { describe: 'PEM bundle trusted for https', check: str },
  insecure: { describe: 'skip TLS certificate verification', default: false, check: bool },
  ssh_user: { describe: 'default user for ssh/scp', check: str },
  ssh_port: {
    describe: 'default port for ssh/scp',
    default: 22,
    check: num({ min: 1, max: 65535, integer: true, what: 'a port number from 1 to 65535' }),
  },
  ssh_identity: { describe: 'default identity file for ssh/scp', check: str },
  ssh_jump: { describe: 'default jump host for ssh/scp, HOST[:PORT]', check: str },
  ssh_strict_host_keys: {
    describe: 'host key checking: yes, no, accept-new, ask',
    default: 'ask',
    values: STRICT_MODES,
    check: oneOf(STRICT_MODES),
  },
}

export const KEY_NAMES = Object.keys(KEYS) as KeyName[]

export function isKeyName(name: string): name is KeyName {
  return Object.hasOwn(KEYS, name)
}

export function isSecret(name: string): boolean {
  return isKeyName(name) && KEYS[name].secret === true
}

export { MASK } from '../secrets/mask.js'

/** Validates one value; returns the normalised value or an error message. */
export function checkValue(name: KeyName, raw: unknown): { value: Value } | { error: string } {
  try {
    return { value: KEYS[name].check(raw) }
  } catch (err) {
    if (err instanceof Invalid) return { error: err.message }
    throw err
  }
}

export function defaults(): Profile {
  const out: Record<string, Value> = {}
  for (const name of KEY_NAMES) {
    const d = KEYS[name].default
    if (d !== undefined) out[name] = d
  }
  return out as unknown as Profile
}
