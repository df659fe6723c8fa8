/**
 * The `files` process (`src/files/files.cpp`): real files attached under virtual paths, resolved by
 * the longest attached prefix, served by /files/browse, read, download and debug.
 */
import { readFileSync } from 'node:fs'
import type { Writable } from 'node:stream'
import { open, readdir, realpath, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { type Daemon, empty, type Reply, type Req, send, text } from './http.js'
import { dbl, RawBytes } from './json.js'

/** 16 pages of 4 KiB: the cap of one read. */
export const READ_CAP = 65536

const MIME: Record<string, string> = {
  '.txt': 'text/plain',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.css': 'text/css',
  '.js': 'application/javascript',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.gz': 'application/x-gzip',
  '.tgz': 'application/x-gzip',
  '.tar': 'application/x-tar',
  '.zip': 'application/zip',
  '.pdf': 'application/pdf',
}

export interface FilesBehaviour {
  /** 1.1+: a read past EOF echoes the requested offset; before, the file size */
  echoOffsetPastEof: boolean
}

type Resolved = { real: string } | { error: Reply }

/** Attachments known by a rule rather than stored one by one (an agent's sandboxes: 3 per executor). */
export interface Attachments {
  get(virtualPath: string): string | undefined
  entries(): Iterable<[string, string]>
}

export class Files {
  /** virtual path -> real path */
  readonly attached = new Map<string, string>()
  /** called before a path under an unmaterialized sandbox is touched */
  materialize?: (virtualPath: string) => Promise<void>
  /** consulted after `attached`, and listed after it */
  more?: Attachments

  constructor(readonly behaviour: FilesBehaviour) {}

  attach(real: string, virtualPath: string): void {
    this.attached.set(virtualPath, real)
  }

  detach(virtualPath: string): void {
    this.attached.delete(virtualPath)
  }

  /** Every attachment, in the order a map of them would hold (first attach, last target). */
  all(): Map<string, string> {
    const m = new Map(this.attached)
    for (const [k, v] of this.more?.entries() ?? []) m.set(k, v)
    return m
  }

  lookup(path: string): Promise<Resolved | undefined> {
    return this.resolve(path)
  }

  private async resolve(path: string): Promise<Resolved | undefined> {
    let p = path.startsWith('file://') ? path.slice(7) : path
    if (!p.startsWith('/')) return undefined
    p = p.length > 1 ? p.replace(/\/+$/, '') : p
    let prefix = p
    let suffix = ''
    while (true) {
      const real = this.attached.get(prefix) ?? this.more?.get(prefix)
      if (real !== undefined) {
        if (this.materialize) await this.materialize(prefix)
        if (!suffix) return { real }
        let st: Awaited<ReturnType<typeof stat>>
        try {
          st = await stat(real)
        } catch {
          return undefined
        }
        if (!st.isDirectory()) return undefined
        const joined = join(real, suffix)
        try {
          const [root, canon] = await Promise.all([realpath(real), realpath(joined)])
          if (canon !== root && !canon.startsWith(root + '/'))
            return { error: text(400, `'${path}' is inaccessible.\n`) }
          return { real: joined }
        } catch {
          return undefined
        }
      }
      const cut = prefix.lastIndexOf('/')
      if (cut < 0 || prefix === '/') return undefined
      suffix = prefix.slice(cut + 1) + (suffix ? '/' + suffix : '')
      prefix = cut === 0 ? '/' : prefix.slice(0, cut)
      if (prefix === '/' && !this.attached.has('/') && this.more?.get('/') === undefined) return undefined
    }
  }

  install(d: Daemon, realm: string | undefined, jsonRoutes: boolean): void {
    const routes: Array<[string, (r: Req) => Promise<Reply>]> = [
      ['browse', (r) => this.browse(d, r)],
      ['read', (r) => this.read(d, r)],
      ['download', (r) => this.download(r)],
      ['debug', async () => d.json(Object.fromEntries(this.all()))],
    ]
    for (const [name, handler] of routes) {
      d.route(`/files/${name}`, { realm, handler, jsonp: name !== 'download' })
      if (jsonRoutes) d.route(`/files/${name}.json`, { realm, handler, jsonp: name !== 'download' })
    }
  }

  private async browse(d: Daemon, r: Req): Promise<Reply> {
    const path = r.query.get('path')
    if (!path) return text(400, "Expecting 'path=value' in query.\n")
    const res = await this.resolve(path)
    if (!res) return empty(404)
    if ('error' in res) return res.error
    let names: string[]
    try {
      names = await readdir(res.real)
    } catch {
      return d.json([])
    }
    const entries: Array<{ real: string; info: Record<string, unknown> }> = []
    const base = path.length > 1 ? path.replace(/\/+$/, '') : path
    for (const name of names) {
      const real = join(res.real, name)
      try {
        const st = await stat(real)
        entries.push({ real, info: fileInfo(base === '/' ? `/${name}` : `${base}/${name}`, st) })
      } catch {
        // dangling links are skipped
      }
    }
    entries.sort((a, b) => (a.real < b.real ? -1 : a.real > b.real ? 1 : 0))
    return d.json(entries.map((e) => e.info))
  }

  private async read(d: Daemon, r: Req): Promise<Reply> {
    const path = r.query.get('path')
    if (!path) return text(400, "Expecting 'path=value' in query.\n")
    let offset = -1
    let length = -1
    const o = r.query.get('offset')
    if (o !== null) {
      const n = parseIntStrict(o)
      if (n === undefined) return text(400, `Failed to parse offset: Failed to convert '${o}' to number.\n`)
      offset = n
    }
    const l = r.query.get('length')
    if (l !== null) {
      const n = parseIntStrict(l)
      if (n === undefined) return text(400, `Failed to parse length: Failed to convert '${l}' to number.\n`)
      length = n
    }
    if (offset < -1) return text(400, `Negative offset provided: ${offset}.\n`)
    if (length < -1) return text(400, `Negative length provided: ${length}.\n`)
    const res = await this.resolve(path)
    if (!res) return empty(404)
    if ('error' in res) return res.error
    let st: Awaited<ReturnType<typeof stat>>
    try {
      st = await stat(res.real)
    } catch {
      return empty(404)
    }
    if (st.isDirectory()) return text(400, 'Cannot read a directory.\n')
    const size = st.size
    if (offset === -1) return d.json({ offset: size, data: '' })
    if (offset >= size) return d.json({ offset: this.behaviour.echoOffsetPastEof ? offset : size, data: '' })
    const want = Math.min(length === -1 ? READ_CAP : length, READ_CAP, size - offset)
    const fh = await open(res.real, 'r')
    try {
      const buf = Buffer.alloc(want)
      const { bytesRead } = await fh.read(buf, 0, want, offset)
      return d.json({ offset, data: new RawBytes(buf.subarray(0, bytesRead)) })
    } finally {
      await fh.close()
    }
  }

  private async download(r: Req): Promise<Reply> {
    const path = r.query.get('path')
    if (!path) return text(400, "Expecting 'path=value' in query.\n")
    const res = await this.resolve(path)
    if (!res) return text(404, '404 Not Found.')
    if ('error' in res) return res.error
    let st: Awaited<ReturnType<typeof stat>>
    try {
      st = await stat(res.real)
    } catch {
      return text(404, '404 Not Found.')
    }
    if (st.isDirectory()) return text(400, 'Cannot download a directory.\n')
    const name = basename(res.real)
    const type = MIME[extname(name).toLowerCase()] ?? 'application/octet-stream'
    // The name goes into the header as it is (files.cpp formats it in; libprocess writes header
    // values byte for byte): a non-ASCII name as its UTF-8 bytes, a control character raw, which
    // breaks the header for a strict client. Node refuses to write the latter, so then the answer
    // is written on the socket itself.
    const disposition = `attachment; filename=${name}`
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(name) && r.res.socket) {
      const socket = r.res.socket
      r.res.shouldKeepAlive = false
      const head = [`HTTP/1.1 200 OK`, `Date: ${new Date().toUTCString()}`, `Content-Type: ${type}`, `Content-Length: ${st.size}`, `Content-Disposition: ${disposition}`, 'Connection: close']
      socket.write(Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'utf8'))
      if (st.size === 0) socket.end()
      else void serveFile(res.real, st.size, socket)
      return { status: 200, streamed: true }
    }
    r.res.writeHead(200, {
      // node writes a header string's characters as bytes (latin1): these are the name's UTF-8 bytes.
      // First: node 20 refuses bytes above 0x7f in a header given after Content-Length.
      'Content-Disposition': Buffer.from(disposition, 'utf8').toString('latin1'),
      'Content-Type': type,
      'Content-Length': st.size,
    })
    if (st.size === 0) {
      r.res.end()
      return { status: 200, streamed: true }
    }
    void serveFile(res.real, st.size, r.res)
    return { status: 200, streamed: true }
  }
}

/** What one read of a downloaded file takes; two such buffers are reused while the file is sent. */
const SERVE_BYTES = 1024 * 1024

/**
 * Sends the first `size` bytes of a file (fewer if it shrank) as the body already announced: big
 * reads into two reused buffers, one filling while the other is written, so serving a large file
 * costs few system calls and allocates nothing per read.
 */
async function serveFile(real: string, size: number, res: Writable): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>> | undefined
  let gone = false
  const closed = new Promise<void>((resolve) => res.on('close', () => ((gone = true), resolve())))
  try {
    fh = await open(real, 'r')
    const pool = [Buffer.allocUnsafe(Math.min(SERVE_BYTES, size)), Buffer.allocUnsafe(Math.min(SERVE_BYTES, size))]
    const written: Array<Promise<void>> = [Promise.resolve(), Promise.resolve()]
    let sent = 0
    for (let k = 0; sent < size && !gone; k ^= 1) {
      await Promise.race([written[k], closed])
      if (gone) break
      const { bytesRead } = await fh.read(pool[k]!, 0, Math.min(pool[k]!.length, size - sent), sent)
      if (bytesRead === 0 || gone) break
      sent += bytesRead
      written[k] = new Promise((resolve) => res.write(pool[k]!.subarray(0, bytesRead), () => resolve()))
    }
    await Promise.race([Promise.all(written), closed])
    if (!gone) res.end()
  } catch {
    res.destroy()
  } finally {
    await fh?.close()
  }
}

function parseIntStrict(s: string): number | undefined {
  if (!/^\s*[-+]?\d+\s*$/.test(s)) return undefined
  return Number.parseInt(s, 10)
}

let users: Map<number, string> | undefined
let groups: Map<number, string> | undefined
function table(file: string): Map<number, string> {
  const m = new Map<number, string>()
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [name, , id] = line.split(':')
      if (name && id && !m.has(Number(id))) m.set(Number(id), name)
    }
  } catch {
    // no such table: numeric IDs then
  }
  return m
}
const nameOf = (uid: number): string => {
  users ??= table('/etc/passwd')
  return users.get(uid) ?? String(uid)
}
const groupName = (gid: number): string => {
  groups ??= table('/etc/group')
  return groups.get(gid) ?? String(gid)
}

function modeString(mode: number): string {
  const type = (mode & 0o170000) >> 12
  const letter = { 4: 'd', 2: 'c', 6: 'b', 1: 'p', 9: 'l', 11: 's' }[type] ?? '-'
  const bits = 'rwxrwxrwx'
  let s = letter
  for (let i = 0; i < 9; i++) s += mode & (1 << (8 - i)) ? bits[i] : '-'
  return s
}

/** `model(FileInfo)`: virtual path, string mode, whole seconds as a double, user and group names. */
export function fileInfo(virtualPath: string, st: Awaited<ReturnType<typeof stat>>): Record<string, unknown> {
  return {
    path: virtualPath,
    nlink: Number(st.nlink),
    size: Number(st.size),
    mtime: dbl(Math.floor(Number(st.mtimeMs) / 1000)),
    mode: modeString(Number(st.mode)),
    uid: nameOf(Number(st.uid)),
    gid: groupName(Number(st.gid)),
  }
}

export { send }

/** For v1 LIST_FILES / READ_FILE: the same resolution, other shapes. */
export async function listFiles(
  files: Files,
  path: string,
): Promise<Array<Record<string, unknown>> | undefined> {
  const res = await files.lookup(path)
  if (!res || 'error' in res) return undefined
  let names: string[]
  try {
    names = await readdir(res.real)
  } catch {
    return []
  }
  const out: Array<{ real: string; info: Record<string, unknown> }> = []
  const base = path.replace(/\/+$/, '')
  for (const name of names) {
    const real = join(res.real, name)
    try {
      const st = await stat(real)
      out.push({
        real,
        info: {
          path: `${base}/${name}`,
          nlink: Number(st.nlink),
          size: Number(st.size),
          mtime: { nanoseconds: Math.floor(Number(st.mtimeMs) / 1000) * 1e9 },
          mode: Number(st.mode),
          uid: fileInfo('', st).uid,
          gid: fileInfo('', st).gid,
        },
      })
    } catch {
      // dangling links are skipped
    }
  }
  out.sort((a, b) => (a.real < b.real ? -1 : a.real > b.real ? 1 : 0))
  return out.map((e) => e.info)
}

export async function readFileBytes(
  files: Files,
  path: string,
  offset: number,
  length: number | undefined,
): Promise<{ size: number; data: Buffer } | 'not-found' | 'directory'> {
  const res = await files.lookup(path)
  if (!res || 'error' in res) return 'not-found'
  let st: Awaited<ReturnType<typeof stat>>
  try {
    st = await stat(res.real)
  } catch {
    return 'not-found'
  }
  if (st.isDirectory()) return 'directory'
  const size = st.size
  if (offset >= size) return { size, data: Buffer.alloc(0) }
  const want = Math.min(length ?? READ_CAP, READ_CAP, size - offset)
  const fh = await open(res.real, 'r')
  try {
    const buf = Buffer.alloc(want)
    const { bytesRead } = await fh.read(buf, 0, want, offset)
    return { size, data: buf.subarray(0, bytesRead) }
  } finally {
    await fh.close()
  }
}
