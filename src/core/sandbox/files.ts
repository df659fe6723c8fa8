/**
 * An agent's files API (`/files/browse`, `/files/read`, `/files/download`) with Mesos' semantics:
 * 404 and 403 have empty bodies, `offset=-1` answers the size, reads are capped at 64 KiB, and
 * `data` carries the file's raw bytes unvalidated inside the JSON string.
 */
import { Readable } from 'node:stream'
import { failure, MesosError } from '../errors.js'
import type { Consume } from '../http/bulk.js'
import type { HttpClient, HttpResponse } from '../http/client.js'
import { type Endpoint, hostPort } from '../http/endpoint.js'

/** What one `/files/read` returns at most (16 pages of 4 KiB). */
export const READ_WINDOW = 64 * 1024

export interface FileEntry {
  path: string
  mode: string
  nlink: number
  uid: string
  gid: string
  size: number
  mtime: number
}

/** Pieces `open` reads ahead of its reader. */
const READ_AHEAD = 4

export class NotADirectory extends Error {}
export class IsADirectory extends Error {}

export class AgentFiles {
  constructor(
    readonly http: HttpClient,
    readonly endpoint: Endpoint,
  ) {}

  get name(): string {
    return hostPort(this.endpoint)
  }

  /** Lists a directory; `undefined` when the path does not exist. */
  async browse(path: string): Promise<FileEntry[] | undefined> {
    const res = await this.http.get(this.endpoint, '/files/browse', { query: { path } })
    if (res.status === 404) {
      await res.dump()
      return undefined
    }
    await this.http.expectOk(this.endpoint, res)
    const text = (await res.bytes()).toString('utf8')
    return JSON.parse(text) as FileEntry[]
  }

  /** The size of a file; `undefined` when it does not exist. */
  async size(path: string): Promise<number | undefined> {
    const r = await this.readRaw(path, -1)
    return r?.offset
  }

  /**
   * Up to `length` bytes at `offset` (the server caps a read at 64 KiB); `undefined` when the file
   * does not exist. An empty buffer means EOF.
   */
  async read(path: string, offset: number, length = READ_WINDOW): Promise<Buffer | undefined> {
    const r = await this.readRaw(path, offset, length)
    return r ? r.data : undefined
  }

  private async readRaw(path: string, offset: number, length?: number): Promise<{ offset: number; data: Buffer } | undefined> {
    const res = await this.http.get(this.endpoint, '/files/read', {
      query: { path, offset, ...(length !== undefined ? { length } : {}) },
    })
    if (res.status === 404) {
      await res.dump()
      return undefined
    }
    if (res.status === 400) {
      const text = await res.text()
      if (/cannot read a directory/i.test(text)) throw new IsADirectory(path)
      throw failure(`agent ${this.name} refused to read ${path}: ${text.trim()}`)
    }
    await this.http.expectOk(this.endpoint, res)
    return decodeRead(await res.bytes())
  }

  /**
   * A whole file as it arrives, through `/files/download`; `undefined` when it does not exist.
   * Each piece is a copy the reader may keep (`each` is the way without copies); a few pieces are
   * read ahead of the reader, then reading waits for it.
   */
  async open(path: string, signal?: AbortSignal): Promise<AsyncIterable<Buffer> | undefined> {
    // a reader that stops early (a closed pipe) stops the transfer
    const stop = new AbortController()
    let room: (() => void) | undefined
    let done = false
    let started!: () => void
    const first = new Promise<void>((resolve) => (started = resolve))
    const out = new Readable({
      objectMode: true,
      highWaterMark: READ_AHEAD,
      read() {
        room?.()
        room = undefined
      },
      destroy(err, callback) {
        if (done) return callback(err)
        stop.abort()
        void running.then(() => callback(err))
      },
    })
    const running: Promise<number | undefined | Error> = this.each(
      path,
      (piece) => {
        started()
        if (out.push(Buffer.from(piece))) return undefined
        return new Promise<void>((resolve) => (room = resolve))
      },
      signal ? AbortSignal.any([signal, stop.signal]) : stop.signal,
    ).then(
      (total) => {
        done = true
        if (total !== undefined) out.push(null)
        started()
        return total
      },
      (error: unknown) => {
        done = true
        started()
        const err = error instanceof Error ? error : new Error(String(error))
        out.destroy(err)
        return err
      },
    )
    // a failure reaches the reader through its iteration, whenever it starts
    out.on('error', () => undefined)
    await first
    if (out.readableLength === 0 && done) {
      const end = await running
      if (end instanceof Error) throw end
      if (end === undefined) return undefined
    }
    return out
  }

  /**
   * A whole file through `/files/download`, each piece handed to `consume` and valid only until it
   * returns or its promise settles (no copy is made: the fastest way to move a big file). The
   * bytes read, or `undefined` when the file does not exist.
   */
  async each(path: string, consume: Consume, signal?: AbortSignal): Promise<number | undefined> {
    const got = await this.http.stream(this.endpoint, '/files/download', consume, {
      query: { path },
      signal,
      inBody: (err) => this.broken(path, err),
    })
    if (typeof got === 'number') return got
    await this.downloadable(got, path)
    return undefined
  }

  /** False for a file that does not exist; throws for any other refusal. */
  private async downloadable(res: HttpResponse, path: string): Promise<boolean> {
    if (res.status === 404) {
      await res.dump()
      return false
    }
    if (res.status === 400) {
      const text = await res.text()
      if (/directory/i.test(text)) throw new IsADirectory(path)
      throw new MesosError('failure', `agent ${this.name} answered 400 for GET /files/download: ${text.trim()}`.trim(), { status: 400 })
    }
    await this.http.expectOk(this.endpoint, res)
    return true
  }

  private broken(path: string, err: Error): Error {
    if (err.name === 'AbortError') return err
    return failure(`agent ${this.name}: reading ${path} failed: ${err.message}`)
  }

}

/**
 * `/files/read` puts raw bytes into the JSON string: decoding the body as ISO-8859-1 makes every
 * byte one code point, JSON escapes only produce code points below 0x20, so re-encoding `data` as
 * ISO-8859-1 gives back the exact bytes, whatever the file's encoding.
 */
export function decodeRead(body: Buffer): { offset: number; data: Buffer } {
  const parsed = JSON.parse(body.toString('latin1')) as { offset: number; data: string }
  return { offset: parsed.offset, data: latin1Bytes(parsed.data) }
}

/** Code points up to 0xFF are bytes; a `\uXXXX` escape above that (a writer that decoded UTF-8) is UTF-8. */
function latin1Bytes(s: string): Buffer {
  if (!/[^\x00-\xff]/.test(s)) return Buffer.from(s, 'latin1')
  const parts: Buffer[] = []
  let run = ''
  for (const ch of s) {
    if (ch.codePointAt(0)! <= 0xff) run += ch
    else {
      parts.push(Buffer.from(run, 'latin1'), Buffer.from(ch, 'utf8'))
      run = ''
    }
  }
  parts.push(Buffer.from(run, 'latin1'))
  return Buffer.concat(parts)
}
