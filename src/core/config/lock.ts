/**
 * The lock around a config file's read-modify-write, so concurrent `mesos config KEY VALUE` runs
 * never lose each other's changes. The lock is a file next to the config, created with O_EXCL and
 * holding the owner's pid and start time. A lock whose owner is gone (or that is older than
 * STALE_MS: a crashed run, a pid reused) is taken over: it is first renamed to a name of our own
 * and checked, so two runs that both see it stale cannot both take it.
 */
import { randomBytes } from 'node:crypto'
import { open, readFile, rename, rm, stat } from 'node:fs/promises'
import { failure } from '../errors.js'
import { fsReason } from './fs-errors.js'

const STALE_MS = 30_000
const WAIT_MS = 10_000

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function isStale(lock: string, content: string): Promise<boolean> {
  // An empty lock is one being written right now: only its age can make it stale.
  const pid = Number(/^(\d+) /.exec(content)?.[1])
  if (content !== '' && !alive(pid)) return true
  try {
    return Date.now() - (await stat(lock)).mtimeMs > STALE_MS
  } catch {
    return false
  }
}

/** Takes a stale lock out of the way; false when someone else got there first. */
async function clearStale(lock: string, seen: string): Promise<boolean> {
  const aside = `${lock}.${randomBytes(4).toString('hex')}.stale`
  try {
    await rename(lock, aside)
  } catch {
    return false
  }
  const moved = await readFile(aside, 'utf8').catch(() => '')
  if (moved !== seen) {
    // a fresh lock was taken between our look and the rename: give it back
    await rename(aside, lock).catch(() => {})
    return false
  }
  await rm(aside, { force: true })
  return true
}

async function tryTake(lock: string, content: string): Promise<boolean> {
  try {
    const fh = await open(lock, 'wx', 0o600)
    try {
      await fh.writeFile(content)
    } finally {
      await fh.close()
    }
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw failure(`cannot lock ${lock}: ${fsReason(err)}`)
  }
}

/** Runs `fn` holding the lock of `file` (`file.lock`). */
export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`
  const content = `${process.pid} ${Date.now()} ${randomBytes(4).toString('hex')}\n`
  const giveUp = Date.now() + WAIT_MS
  for (let attempt = 0; !(await tryTake(lock, content)); attempt++) {
    const seen = await readFile(lock, 'utf8').catch(() => undefined)
    if (seen !== undefined && (await isStale(lock, seen)) && (await clearStale(lock, seen))) continue
    if (Date.now() > giveUp) {
      throw failure(`${file} is locked by another mesos run (${lock}, pid ${/^\d+/.exec(seen ?? '')?.[0] ?? '?'})`, [
        `remove ${lock} if no mesos config command is running`,
      ])
    }
    await new Promise((r) => setTimeout(r, Math.min(5 + attempt * 5, 50)))
  }
  try {
    return await fn()
  } finally {
    const mine = await readFile(lock, 'utf8').catch(() => '')
    if (mine === content) await rm(lock, { force: true })
  }
}
