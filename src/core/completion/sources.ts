/**
 * The engine's sources on a real machine: the config file, PATH, and the on-disk cache shared with
 * the task-matching code. Only a cold cache (or a sandbox listing) loads the HTTP stack and talks to
 * the cluster; every failure is an unknown answer, never an error.
 */
import { spawn } from '../child.js'
import { join, posix } from 'node:path'
import { cacheDir } from '../cache/disk.js'
import { isKeyName, KEY_NAMES, KEYS } from '../config/keys.js'
import type { Deps } from '../deps/index.js'
import { packageRoot } from '../paths.js'
import { listPlugins } from '../plugins/find.js'
import type { TaskIndex } from '../tasks/model.js'
import { CompletionCache, type CompletionData, dataFromEntry, entryFromIndex } from './cache.js'
import type { CommandSpec } from './commands.js'
import { type CompletionConfig, profileNamesOf } from './config.js'
import type { Candidate, SandboxEntry, Sources } from './engine.js'
import { refreshRunning } from './lock.js'

const refreshScript = () => join(packageRoot(), 'dist', 'core', 'completion', 'refresh.js')

export interface SourcesInit {
  commands: CommandSpec[]
  config: CompletionConfig
  env: NodeJS.ProcessEnv
  cwd: string
  home: string
  flags: { profile?: string; master?: string }
  /** `performance.now()` by which cluster data must be in hand (the TAB's deadline, less output time). */
  answerBy?: number
}

/** How old an expired completion entry may be and still be offered when a refresh is too slow. */
const EXPIRED_MAX_SEC = 3600

/** How many matching tasks a sandbox path completion looks into (their entries are merged). */
const SANDBOX_TASKS = 4

export function realSources(init: SourcesInit): Sources & { close(): Promise<void> } {
  const { config, env } = init
  const cache = new CompletionCache(cacheDir(env, init.home), config.cacheTtl, config.master, config.scheme)
  let deps: Promise<Deps> | undefined
  let index: Promise<TaskIndex | undefined> | undefined
  let data: Promise<CompletionData | undefined> | undefined

  const getDeps = () => {
    deps ??= import('./silent.js').then(({ silentDeps }) =>
      silentDeps({ env, cwd: init.cwd, home: init.home, ...init.flags }),
    )
    return deps
  }

  /** Resolves when a refresh of the cache (ours, or one already running) has ended. */
  let refreshing: Promise<void> | undefined
  const refresh = () => {
    refreshing ??= new Promise<void>((resolve) => {
      if (refreshRunning(cache)) {
        const poll = setInterval(() => {
          if (!refreshRunning(cache)) {
            clearInterval(poll)
            resolve()
          }
        }, 25)
        return
      }
      const args = [refreshScript(), ...(init.flags.profile ? ['--profile', init.flags.profile] : [])]
      if (init.flags.master) args.push('--master', init.flags.master)
      const child = spawn(process.execPath, args, { detached: true, stdio: 'ignore', cwd: init.cwd, env })
      child.on('error', () => resolve())
      child.on('exit', () => resolve())
      child.unref()
    })
    return refreshing
  }

  /** The full task index: from the cache, else from the master (which caches it for everyone). */
  const getIndex = () => {
    index ??= (async () => {
      const hit = await cache.readIndex()
      if (hit) return hit
      if (cache.disk.enabled) {
        await refresh()
        return cache.readIndex()
      }
      const { loadTaskIndex } = await import('../tasks/index.js')
      return loadTaskIndex(await getDeps())
    })().catch(() => undefined)
    return index
  }

  const getData = () => {
    data ??= (async () => {
      const entry = await cache.read()
      if (entry) return dataFromEntry(entry)
      const hit = await cache.readIndex()
      if (hit) {
        // another command fetched the index: keep what the last refresh learnt about its cost
        const previous = await cache.readExpired(EXPIRED_MAX_SEC)
        return dataFromEntry(await cache.write(hit, previous?.fetchMs))
      }
      if (cache.disk.enabled) {
        // cold: a detached refresh fills the cache even if this TAB's deadline passes first;
        // until it does, an expired entry is better than nothing
        const expired = await cache.readExpired(EXPIRED_MAX_SEC)
        if (expired && init.answerBy !== undefined) {
          const wait = Math.max(0, init.answerBy - performance.now())
          // a cluster whose last fetch took longer than we have: do not even wait
          const hopeless = (expired.fetchMs ?? 0) > wait
          const started = refresh()
          if (!hopeless) await Promise.race([started, new Promise((r) => setTimeout(r, wait).unref())])
        } else await refresh()
        const fresh = (await cache.read()) ?? expired
        return fresh && dataFromEntry(fresh)
      }
      const idx = await getIndex()
      return idx && dataFromEntry(entryFromIndex(idx, 0))
    })().catch(() => undefined)
    return data
  }

  return {
    commands: init.commands,
    plugins(): Candidate[] {
      const builtIn = new Set(init.commands.flatMap((c) => [c.words[0]!, ...c.aliases.map((a) => a[0]!)]))
      return listPlugins(env)
        .filter((p) => !builtIn.has(p.name) && p.name !== 'help')
        .map((p) => ({ value: p.name, description: `plugin ${p.path}` }))
    },
    profiles: () => profileNamesOf(config.raw),
    configKeys: () => [
      { value: 'profile', description: 'the active profile (switch with: config profile NAME)' },
      ...KEY_NAMES.map((k) => ({ value: k, description: KEYS[k].describe })),
    ],
    configValues(key: string): string[] {
      if (!isKeyName(key)) return []
      const def = KEYS[key]
      if (def.values) return [...def.values]
      return typeof def.default === 'boolean' ? ['true', 'false'] : []
    },
    async tasks(inactive) {
      const d = await getData()
      return d && (inactive ? d.all : d.active)
    },
    async agents() {
      return (await getData())?.agents()
    },
    async sandbox(filter, inactive, dir): Promise<SandboxEntry[] | undefined> {
      const idx = await getIndex()
      if (!idx) return undefined
      const [{ matchTasks }, { SandboxLocator }] = await Promise.all([
        import('../tasks/matcher.js'),
        import('../sandbox/locate.js'),
      ])
      const tasks = matchTasks(idx.tasks, filter, inactive).matches.slice(0, SANDBOX_TASKS)
      if (tasks.length === 0) return undefined
      const locator = new SandboxLocator(await getDeps(), idx)
      const lists = await Promise.all(
        tasks.map(async (t) => {
          try {
            const sandbox = locator.open(t)
            return (await sandbox.at(dir, (p) => sandbox.files.browse(p))) ?? []
          } catch {
            return []
          }
        }),
      )
      const out = new Map<string, SandboxEntry>()
      for (const e of lists.flat()) {
        const name = posix.basename(e.path)
        out.set(name, { name, dir: e.mode.startsWith('d') })
      }
      return [...out.values()]
    },
    async close() {
      if (deps) await (await deps.catch(() => undefined))?.close()
    },
  }
}
