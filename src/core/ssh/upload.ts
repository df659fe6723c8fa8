/**
 * SFTP uploads to one agent: files and directories (recursively, following symlinks as scp -r
 * does), file modes kept. A failure is reported for the (agent, file) pair it belongs to and never
 * stops the next file.
 */
import { readdir, stat } from 'node:fs/promises'
import { basename, join, posix } from 'node:path'
import type { Client, SFTPWrapper } from 'ssh2'
import { setupError } from '../errors.js'

export interface LocalItem {
  path: string
  name: string
  bytes: number
}

/** The local files to send, checked before any connection is made. */
export async function localItems(paths: readonly string[]): Promise<LocalItem[]> {
  const items: LocalItem[] = []
  for (const path of paths) {
    let bytes: number
    try {
      bytes = await sizeOf(path)
    } catch (err) {
      throw setupError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`)
    }
    items.push({ path, name: basename(path.replace(/\/+$/, '')) || path, bytes })
  }
  return items
}

async function sizeOf(path: string): Promise<number> {
  const s = await stat(path)
  if (!s.isDirectory()) return s.size
  let total = 0
  for (const entry of await readdir(path)) total += await sizeOf(join(path, entry))
  return total
}

/** `REMOTE_PATH/NAME` as the result lines show it. */
export function remoteTarget(remoteDir: string, name: string): string {
  return remoteDir === '/' ? `/${name}` : `${remoteDir.replace(/\/+$/, '')}/${name}`
}

interface SftpError extends Error {
  code?: number | string
}

const SFTP_REASONS: Record<number, string> = {
  2: 'no such file or directory',
  3: 'permission denied',
  4: 'failure',
}

export function sftpReason(err: unknown, path: string, shownPath: string): string {
  const e = err as SftpError
  const reason =
    typeof e.code === 'number' && SFTP_REASONS[e.code]
      ? SFTP_REASONS[e.code]!
      : e.code === 'EACCES'
        ? 'permission denied'
        : e.message.toLowerCase()
  return path === shownPath ? reason : `${reason}: ${path}`
}

const call = <T>(fn: (cb: (err: Error | undefined | null, v: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))))

export class AgentUploader {
  private constructor(private readonly sftp: SFTPWrapper) {}

  static async open(client: Client): Promise<AgentUploader> {
    return new AgentUploader(await call<SFTPWrapper>((cb) => client.sftp(cb)))
  }

  /** Throws a reason string when REMOTE_PATH is not a directory there. */
  async checkDirectory(remoteDir: string): Promise<void> {
    let attrs
    try {
      attrs = await call<{ isDirectory(): boolean }>((cb) => this.sftp.stat(remoteDir, cb))
    } catch (err) {
      throw new Error(sftpReason(err, remoteDir, ''), { cause: err })
    }
    if (!attrs.isDirectory()) throw new Error(`${remoteDir} is not a directory`)
  }

  /** Uploads one item; resolves to undefined, or the reason it failed. */
  async upload(item: LocalItem, remoteDir: string, onBytes: (n: number) => void): Promise<string | undefined> {
    const top = remoteTarget(remoteDir, item.name)
    try {
      await this.put(item.path, top, onBytes)
      return undefined
    } catch (err) {
      const failed = (err as { remotePath?: string }).remotePath ?? top
      return sftpReason(err, failed, top)
    }
  }

  private async put(local: string, remote: string, onBytes: (n: number) => void): Promise<void> {
    const s = await stat(local)
    const at = <T>(p: Promise<T>) =>
      p.catch((err: unknown) => {
        Object.assign(err as object, { remotePath: (err as { remotePath?: string }).remotePath ?? remote })
        throw err
      })
    if (s.isDirectory()) {
      await at(
        call<void>((cb) => this.sftp.mkdir(remote, { mode: s.mode & 0o7777 }, cb)).catch(async (err) => {
          // an existing directory is fine, as with scp -r
          const there = await call<{ isDirectory(): boolean }>((cb) => this.sftp.stat(remote, cb)).catch(() => undefined)
          if (!there?.isDirectory()) throw err
        }),
      )
      for (const entry of (await readdir(local)).sort()) await this.put(join(local, entry), posix.join(remote, entry), onBytes)
      return
    }
    let sent = 0
    await at(
      call<void>((cb) =>
        this.sftp.fastPut(local, remote, {
          mode: s.mode & 0o7777,
          step: (total) => {
            onBytes(total - sent)
            sent = total
          },
        }, (err) => cb(err, undefined)),
      ),
    )
  }

  close(): void {
    this.sftp.end()
  }
}
