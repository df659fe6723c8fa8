/**
 * A small on-disk cache shared by all runs (leader address now; task and agent indexes later, read
 * by completion too). Entries are JSON files named by a hash of their key, written atomically with
 * mode 0600 in a 0700 directory, and trusted for `cache_ttl` seconds.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { jsonPieces } from '../output/json-pieces.js'
import { makeDirs } from '../dirs.js'

export function cacheDir(env: NodeJS.ProcessEnv, home = homedir()): string {
  if (env.MESOS_CLI_CACHE_DIR) return env.MESOS_CLI_CACHE_DIR
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(home, '.cache')
  return join(base, 'mesos-cli')
}

interface Entry<T> {
  key: string
  stored: number
  /** The fingerprint of what the answer depended on (credentials, CA, scheme), if any. */
  context?: string
  value: T
}

export class DiskCache {
  constructor(
    readonly dir: string,
    readonly ttlSec: number,
    private readonly now: () => number = Date.now,
    /**
     * A digest of the credentials, CA and scheme behind the cached answers (config/mask.ts
     * `fingerprint`): an entry written under another context is not an answer for this one.
     */
    readonly context?: string,
  ) {}

  get enabled(): boolean {
    return this.ttlSec > 0
  }

  /** Keys may hold credentials (zk://user:password@...): only their hash is written. */
  private hash(key: string): string {
    return createHash('sha256').update(key).digest('hex').slice(0, 32)
  }

  fileFor(key: string): string {
    return join(this.dir, `${this.hash(key)}.json`)
  }

  async get<T>(key: string): Promise<T | undefined> {
    if (!this.enabled) return undefined
    try {
      const entry = JSON.parse(await readFile(this.fileFor(key), 'utf8')) as Entry<T>
      const age = this.now() - entry.stored
      if (entry.key !== this.hash(key) || age < 0 || age > this.ttlSec * 1000) return undefined
      // Entries without a context come from writers that hold no credentials (completion).
      if (this.context !== undefined && entry.context !== undefined && entry.context !== this.context) return undefined
      return entry.value
    } catch {
      return undefined
    }
  }

  async set<T>(key: string, value: T): Promise<void> {
    if (!this.enabled) return
    try {
      await makeDirs(this.dir, 0o700)
      const file = this.fileFor(key)
      const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`
      // in pieces: a big index is never one string in memory (json-pieces.ts)
      await writeFile(tmp, jsonPieces({ key: this.hash(key), stored: this.now(), context: this.context, value } satisfies Entry<T>), {
        mode: 0o600,
      })
      await rename(tmp, file)
    } catch {
      // a cache that cannot be written is only slower
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.fileFor(key), { force: true }).catch(() => {})
  }
}
