/**
 * `node refresh.js [--profile P] [--master M]`: the detached child a cold TAB starts to fill the
 * task index cache, so the TAB's deadline does not cut the fetch short: on a 100,000-task cluster
 * `/master/state` takes seconds, and the TAB after this one finds the cache warm. A lock file
 * keeps one refresh per cluster at a time; a hard timer ends a refresh that cannot finish
 * (a ZooKeeper ensemble that never answers).
 */
import { closeSync, openSync, rmSync } from 'node:fs'
import { cacheDir } from '../cache/disk.js'
import { refreshTaskCaches } from '../tasks/index.js'
import { CompletionCache } from './cache.js'
import { lockFile, REFRESH_MAX_MS } from './lock.js'
import { silentDeps } from './silent.js'
import { makeDirsSync } from '../dirs.js'

const args = process.argv.slice(2)
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}

setTimeout(() => process.exit(0), REFRESH_MAX_MS)
let lock: string | undefined
try {
  // detached, off the TAB's clock: the state of a big cluster may take longer than response_timeout
  const deps = await silentDeps({ profile: flag('profile'), master: flag('master'), timeout: REFRESH_MAX_MS / 1000 })
  const p = deps.settings.profile
  const cache = new CompletionCache(cacheDir(deps.env, deps.home), p.cache_ttl, p.master, p.scheme)
  makeDirsSync(cache.disk.dir, 0o700)
  closeSync(openSync(lockFile(cache), 'wx', 0o600)) // another refresh holds it: leave it be
  lock = lockFile(cache)
  await refreshTaskCaches(deps)
} catch {
  // nothing to report: the next TAB tries again
} finally {
  if (lock) rmSync(lock, { force: true })
}
process.exit(0)
