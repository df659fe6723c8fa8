/**
 * One dependency object per run: streams, settings, clock, and lazily built HTTP client, cache and
 * master client. Commands and services take what they need from it; tests build their own.
 */
import { homedir } from 'node:os'
import { cacheDir, DiskCache } from '../cache/disk.js'
import { leaderKey as leaderCacheKey } from '../cache/keys.js'
import { createMasker, fingerprint, maskProcessTitle, specPasswords } from '../secrets/mask.js'
import { loadSettings, type Overrides, requireProfile, type Settings } from '../config/settings.js'
import { HttpClient, timerMs } from '../http/client.js'
import { runSignal } from '../lifecycle.js'
import { MasterClient } from '../master/client.js'
import { type Leader, resolveLeader } from '../master/resolve.js'
import { createIO, type IO } from '../output/io.js'
import type { FetchedIndex } from '../tasks/stream.js'
import { createFileLogger } from '../output/log.js'

export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, timerMs(ms / 1000))
      const onAbort = () => {
        clearTimeout(t)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    }),
}

export interface DepsInit extends Overrides {
  /** Told of every task index fetched from the master (TAB completion keeps its entry from it). */
  taskIndexFetched?: (deps: Deps, fetched: FetchedIndex, ms: number) => Promise<void>
  noColor?: boolean
  io?: IO
  env?: NodeJS.ProcessEnv
  cwd?: string
  home?: string
  clock?: Clock
  signal?: AbortSignal
}

export interface Deps {
  io: IO
  env: NodeJS.ProcessEnv
  cwd: string
  home: string
  clock: Clock
  signal: AbortSignal
  settings: Settings
  debug(line: string): void
  http(): HttpClient
  cache(): DiskCache
  master(): MasterClient
  /** Resolves the leader from the spec, bypassing the cache. */
  resolveLeader(spec?: string): Promise<Leader>
  /** Stores the profile's leader in the on-disk cache for the next runs. */
  rememberLeader(leader: Leader): Promise<void>
  /** A task index was fetched from the master (`ms` it took): TAB completion keeps its entry from it. */
  taskIndexFetched?(fetched: FetchedIndex, ms: number): Promise<void>
  close(): Promise<void>
}

export async function createDeps(init: DepsInit = {}): Promise<Deps> {
  const env = init.env ?? process.env
  const cwd = init.cwd ?? process.cwd()
  const home = init.home ?? homedir()
  const baseIO = init.io ?? (await createIO({ env, noColor: init.noColor }))
  const settings = await loadSettings({ env, cwd, home }, init)
  if (settings.bookKeys.length > 0) {
    const keys = settings.bookKeys.map((k) => `"${k}"`).join(', ')
    const name = settings.profileName
    baseIO.warn(
      `${settings.file}: ${keys} at the top level belong${settings.bookKeys.length === 1 ? 's' : ''} in a profile; read as profile "${name}" (move ${settings.bookKeys.length === 1 ? 'it' : 'them'} into "${name}": {...})`,
    )
  }
  const p = settings.profile
  // Every line for a human (errors, warnings, --debug, the log file) passes the one masker.
  const mask = createMasker([p.secret, p.token, ...specPasswords(p.master)])
  maskProcessTitle(process.argv, mask)
  const fileLog = createFileLogger(p.log_file, p.log_level)
  const log: typeof fileLog = (level, line) => fileLog(level, mask(line))
  const io: IO = {
    ...baseIO,
    note: (text, style) => baseIO.note(mask(text), style),
    warn: (text) => {
      log('warning', text)
      baseIO.warn(mask(text))
    },
    error: (message, hints, details) => {
      log('error', message)
      baseIO.error(mask(message), hints?.map(mask), details?.map(mask))
    },
  }
  const signal = init.signal ?? runSignal
  const clock = init.clock ?? systemClock
  const debug = (line: string) => {
    log('debug', line)
    if (p.debug) io.note(`[debug] ${line}`, 'dim')
  }

  let http: HttpClient | undefined
  let cache: DiskCache | undefined
  let master: MasterClient | undefined

  // The user chose plain http by name: credentials may travel in clear (spec section 3).
  const chosenHttp =
    /^\s*http:\/\//i.test(p.master) ||
    (p.scheme === 'http' && ['file', 'env', 'flag'].includes(settings.origin.scheme ?? 'default'))
  const getHttp = () => {
    http ??= new HttpClient({
      timeoutSec: p.response_timeout,
      scheme: p.scheme,
      plainCredentials: chosenHttp,
      maxConnections: p.max_workers,
      principal: p.principal,
      secret: p.secret,
      token: p.token,
      caFile: p.ca_file,
      insecure: p.insecure,
      debug: p.debug || p.log_level === 'debug' ? debug : undefined,
      warn: io.warn,
      signal,
    })
    return http
  }
  const getCache = () => {
    // Cached answers hold only for the same credentials, trust and scheme: a wrong secret or a
    // missing ca_file gets its 401 or TLS error, never another profile's cached answer.
    const context = fingerprint([p.scheme, p.principal, p.secret, p.token, p.ca_file, p.insecure, chosenHttp])
    cache ??= new DiskCache(cacheDir(env, home), p.cache_ttl, clock.now, context)
    return cache
  }
  const resolve = async (spec?: string) => {
    requireProfile(settings)
    const leader = await resolveLeader(spec ?? p.master, {
      http: getHttp(),
      scheme: p.scheme,
      zkTimeoutSec: p.zk_timeout,
      debug,
      signal,
    })
    if (spec === undefined) useLeader(leader)
    return leader
  }
  // The resolved master's scheme (a file:// spec naming an https URL) is the cluster's.
  const useLeader = (leader: Leader) => {
    getHttp().useScheme(leader.scheme)
  }
  const leaderKey = () => leaderCacheKey(p.master, p.scheme)

  const deps: Deps = {
    io,
    env,
    cwd,
    home,
    clock,
    signal,
    settings,
    debug,
    http: getHttp,
    cache: getCache,
    resolveLeader: resolve,
    rememberLeader: (leader) => getCache().set(leaderKey(), leader),
    taskIndexFetched: init.taskIndexFetched && ((got, ms) => init.taskIndexFetched!(deps, got, ms)),
    master: () => {
      master ??= new MasterClient(
        getHttp(),
        async (fresh) => {
          if (!fresh) {
            const hit = await getCache().get<Leader>(leaderKey())
            if (hit) {
              debug(`leader ${hit.host}:${hit.port} from the cache`)
              useLeader(hit)
              return { leader: hit, cached: true }
            }
          } else await getCache().delete(leaderKey())
          const leader = await resolve()
          await getCache().set(leaderKey(), leader)
          return { leader, cached: false }
        },
        (leader) => getCache().set(leaderKey(), leader),
      )
      return master
    },
    close: async () => {
      await http?.close()
    },
  }
  return deps
}
