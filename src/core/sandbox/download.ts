/**
 * `download`: sandbox files and directories copied to a local directory, several files at a time
 * (`max_workers`), each streamed byte for byte from `/files/download` into a temporary name in its
 * final directory and renamed into place only once complete, with the mode bits and mtime that
 * `/files/browse` reports. A local file with the sandbox entry's size and mtime (whole seconds, as
 * Mesos gives them) is taken as already copied: running the command again resumes a partial copy.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs'
import { chmod, lstat, rename, rm, stat, utimes } from 'node:fs/promises'
import { dirname, join, posix, relative, resolve } from 'node:path'
import pLimit from 'p-limit'
import type { Deps } from '../deps/index.js'
import { failure, MesosError, usageError } from '../errors.js'
import { onExit } from '../lifecycle.js'
import type { TaskView } from '../tasks/model.js'
import { type FileEntry, IsADirectory } from './files.js'
import { SandboxGone, type TaskSandbox } from './locate.js'
import { findTargets, type TaskQuery } from './targets.js'
import { safe } from '../output/terminal.js'
import { makeDirs } from '../dirs.js'
import { fsReason } from '../config/fs-errors.js'

export interface DownloadOptions extends TaskQuery {
  /** Sandbox-relative paths; the whole sandbox when empty. */
  paths: string[]
  /** Where to put the files (relative to deps.cwd); `./<task-id>/` when undefined. */
  outDir?: string
  force: boolean
}

/** What the command shows while files are copied (a progress bar on a TTY). */
export interface DownloadProgress {
  planned(files: number, bytes: number): void
  advanced(bytes: number): void
  fileDone(): void
}

export interface FailedFile {
  task: string
  path: string
  reason: string
  /** A local file that differs was kept (--force replaces it); otherwise the copy failed. */
  kept?: boolean
  /** The agent refused the file (4xx: a link out of the sandbox, a file it cannot read): another try gets the same. */
  refused?: boolean
}

export interface DownloadResult {
  tasks: number
  copied: number
  /** Already complete and identical locally. */
  upToDate: number
  bytes: number
  failed: FailedFile[]
  /** Where each task's files went. */
  destinations: { task: string; dir: string }[]
}

interface Item {
  task: TaskView
  sandbox: TaskSandbox
  /** Sandbox-relative path. */
  rel: string
  local: string
  entry: FileEntry
}

interface Dir {
  local: string
  entry: FileEntry
}

/** A task ID as one directory name: no separators, no control characters, never `.` or `..`. */
export function taskDirName(id: string): string {
  const name = id.replace(/[/\\\x00-\x1f\x7f]/g, '_')
  return name === '' || name === '.' || name === '..' ? `_${name}` : name
}

/** `rwxr-x---` (with or without the type letter) as permission bits; s/t count as x. */
export function modeBits(mode: string): number {
  const perms = mode.length === 10 ? mode.slice(1) : mode
  let bits = 0
  for (let i = 0; i < 9; i++) {
    const c = perms[i] ?? '-'
    if (c !== '-' && c !== 'S' && c !== 'T') bits |= 1 << (8 - i)
  }
  return bits
}

/** A sandbox-relative PATH argument, normalized; one that climbs out of the sandbox is a usage error. */
export function cleanSandboxPath(p: string): string {
  const n = posix.normalize(p.replace(/^\/+/, '') || '.').replace(/\/+$/, '')
  if (n === '..' || n.startsWith('../')) throw usageError(`PATH "${p}" leaves the sandbox`)
  return n === '.' ? '' : n
}

/** Same size and mtime (whole seconds) as the sandbox entry: complete and identical. */
export function isUpToDate(local: { size: number; mtimeMs: number }, entry: Pick<FileEntry, 'size' | 'mtime'>): boolean {
  return local.size === entry.size && Math.floor(local.mtimeMs / 1000) === Math.floor(entry.mtime)
}

/** A local path as the user would type it: relative to the working directory unless that climbs out of it. */
export function shownDir(cwd: string, dir: string): string {
  const rel = relative(cwd, dir)
  return rel === '' ? '.' : rel === '..' || rel.startsWith('../') ? dir : rel
}

const entryName = (e: FileEntry) => e.path.slice(e.path.lastIndexOf('/') + 1)
const isDir = (e: FileEntry) => e.mode.startsWith('d')
const isRegular = (e: FileEntry) => e.mode.startsWith('-')

export async function downloadSandboxes(deps: Deps, o: DownloadOptions, progress: DownloadProgress): Promise<DownloadResult> {
  const paths = (o.paths.length > 0 ? o.paths : ['']).map(cleanSandboxPath)
  const base = resolve(deps.cwd, o.outDir ?? '.')
  // a file in the way of -o is known before asking the cluster anything
  const cannot = (dir: string, err: unknown) =>
    failure(`cannot create directory ${safe(dir)}: ${(err as NodeJS.ErrnoException).code === 'EEXIST' ? 'a file of that name is in the way' : fsReason(err)}`)
  const there = await lstat(base).catch(() => undefined)
  if (there && !there.isDirectory() && !(there.isSymbolicLink() && (await stat(base).then((s) => s.isDirectory(), () => false))))
    throw cannot(o.outDir ?? '.', Object.assign(new Error('exists'), { code: 'EEXIST' }))
  const { tasks, locator } = await findTargets(deps, o)
  const destOf = (t: TaskView) => (o.outDir !== undefined && tasks.length === 1 ? base : join(base, taskDirName(t.id)))
  // each destination is made first: one clear error, not one per file, when it cannot be
  const typed = (t: TaskView) => (destOf(t) === base && o.outDir !== undefined ? o.outDir : shownDir(deps.cwd, destOf(t)))
  for (const t of tasks) await makeDirs(destOf(t)).catch((err: unknown) => Promise.reject(cannot(typed(t), err)))
  const limit = pLimit(deps.settings.profile.max_workers)
  const failed: FailedFile[] = []
  const items: Item[] = []
  const dirs: Dir[] = []
  const fail = (task: TaskView, path: string, reason: string, err?: unknown): void => {
    failed.push({ task: task.id, path: path || '.', reason, ...(refusal(err) ? { refused: true } : {}) })
  }

  // 1. What there is to copy: every PATH of every task, walked in parallel.
  const walk = async (t: TaskView, sandbox: TaskSandbox, rel: string, entry: FileEntry | undefined, root: string): Promise<void> => {
    const local = rel === '' ? root : join(root, ...rel.split('/'))
    if (entry && !isDir(entry)) {
      if (isRegular(entry)) items.push({ task: t, sandbox, rel, local, entry })
      else deps.io.note(`mesos: skipping ${safe(`${t.id}:${rel}`)}, not a regular file (${safe(entry.mode)})`)
      return
    }
    // only the requests take a worker: a directory waiting for its children holds none
    let listed: FileEntry[] | undefined
    try {
      listed = await limit(() => sandbox.at(rel, (path) => sandbox.files.browse(path)))
    } catch (err) {
      return fail(t, rel, reasonOf(err), err)
    }
    if (listed === undefined) return fail(t, rel, 'no such file or directory')
    if (entry) dirs.push({ local, entry })
    await makeDirs(local)
    await Promise.all(
      listed.map((e) => {
        const name = entryName(e)
        if (name === '' || name === '.' || name === '..' || name.includes('\0')) {
          fail(t, `${rel}/${name}`, 'unsafe file name')
          return undefined
        }
        return walk(t, sandbox, rel === '' ? name : `${rel}/${name}`, e, root)
      }),
    )
  }
  /** The entry of a PATH argument, from its parent's listing (browsing a file answers []). */
  const entryOf = async (sandbox: TaskSandbox, rel: string): Promise<FileEntry | undefined> => {
    const parent = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : ''
    const name = rel.slice(rel.lastIndexOf('/') + 1)
    const listed = await limit(() => sandbox.at(parent, (path) => sandbox.files.browse(path)))
    return listed?.find((e) => entryName(e) === name)
  }
  await Promise.all(
    tasks.flatMap((t) => {
      const sandbox = locator.open(t)
      return paths.map(async (rel) => {
          try {
            if (rel === '') return await walk(t, sandbox, '', undefined, destOf(t))
            const entry = await entryOf(sandbox, rel)
            if (!entry) return fail(t, rel, 'no such file or directory')
            // the parents of a PATH exist locally without being copied themselves
            await makeDirs(dirname(join(destOf(t), ...rel.split('/'))))
            await walk(t, sandbox, rel, entry, destOf(t))
          } catch (err) {
            fail(t, rel, reasonOf(err), err)
          }
        })
    }),
  )

  // 2. What is already there: complete files are skipped; others are replaced only with --force.
  const todo: Item[] = []
  let upToDate = 0
  for (const it of items) {
    const st = await lstat(it.local).catch(() => undefined)
    if (!st) todo.push(it)
    else if (st.isFile() && isUpToDate(st, it.entry)) upToDate++
    else if (st.isDirectory()) fail(it.task, it.rel, `${it.local} is a directory`)
    else if (o.force) todo.push(it)
    else failed.push({ task: it.task.id, path: it.rel, reason: `${shownDir(deps.cwd, it.local)} exists with another size or mtime`, kept: true })
  }
  progress.planned(todo.length, todo.reduce((n, it) => n + it.entry.size, 0))

  // 3. The copies, each into a temporary name removed on any failure or exit.
  let copied = 0
  let bytes = 0
  await Promise.all(
    todo.map((it) =>
      limit(async () => {
        try {
          // not `bytes += await …`: that reads `bytes` before the copy, and parallel copies would overwrite each other's sums
          const n = await copyOne(deps, it, progress)
          bytes += n
          copied++
        } catch (err) {
          if ((err as Error).name === 'AbortError') throw err
          fail(it.task, it.rel, reasonOf(err), err)
        } finally {
          progress.fileDone()
        }
      }),
    ),
  )

  // 4. Directories last, deepest first: their mtimes would move with every file written in them.
  for (const d of dirs.sort((a, b) => b.local.length - a.local.length)) {
    await chmod(d.local, modeBits(d.entry.mode)).catch(() => {})
    await utimes(d.local, d.entry.mtime, d.entry.mtime).catch(() => {})
  }
  failed.sort((a, b) => (a.task + a.path < b.task + b.path ? -1 : 1))
  return { tasks: tasks.length, copied, upToDate, bytes, failed, destinations: tasks.map((t) => ({ task: t.id, dir: destOf(t) })) }
}

async function copyOne(deps: Deps, it: Item, progress: DownloadProgress): Promise<number> {
  const dir = dirname(it.local)
  await makeDirs(dir)
  const temp = join(dir, `.${it.local.slice(dir.length + 1)}.mesos-part-${randomBytes(4).toString('hex')}`)
  const forget = onExit(() => {
    try {
      unlinkSync(temp)
    } catch {
      // never created, or already renamed
    }
  })
  let fd: number | undefined
  try {
    fd = openSync(temp, 'w', 0o600)
    const into = fd
    // each piece is written before the next is read (it lives in the connection's buffer); a
    // write to a local file is quick enough to take on the spot, as curl does
    const written = await it.sandbox.at(it.rel, (path) =>
      it.sandbox.files.each(
        path,
        (piece) => {
          for (let at = 0; at < piece.length; ) at += writeSync(into, piece, at)
          progress.advanced(piece.length)
        },
        deps.signal,
      ),
    )
    if (written === undefined) throw new MesosError('failure', 'vanished from the sandbox')
    closeSync(fd)
    fd = undefined
    await chmod(temp, modeBits(it.entry.mode))
    await utimes(temp, it.entry.mtime, it.entry.mtime)
    await rename(temp, it.local)
    return written
  } catch (err) {
    if (fd !== undefined) closeSync(fd)
    await rm(temp, { force: true })
    throw err
  } finally {
    forget()
  }
}

/** An answer that another try would get again: 4xx, but not a timeout or a rate limit. */
function refusal(err: unknown): boolean {
  const status = err instanceof MesosError ? err.status : undefined
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429
}

function reasonOf(err: unknown): string {
  if (err instanceof SandboxGone) return err.message
  if (err instanceof IsADirectory) return 'is a directory'
  if (err instanceof MesosError) {
    if (err.kind === 'usage') throw err
    return err.message
  }
  const e = err as NodeJS.ErrnoException
  if (e?.code && e.syscall) {
    const why = e.code === 'EEXIST' ? 'a file of that name is in the way' : fsReason(err)
    return e.path ? `${e.path}: ${why}` : why
  }
  if ((err as Error)?.name === 'AbortError') throw err
  return (err as Error)?.message ?? String(err)
}
