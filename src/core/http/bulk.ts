/**
 * Bulk bodies: a sandbox file from `/files/download` read straight off the socket into one buffer
 * that each connection reuses for every read, and handed to a consumer that is done with each
 * piece before the next read lands in it.
 *
 * node's http client allocates every read anew and passes it through its parser and a stream; for
 * the hundreds of MB of a sandbox that costs several times the CPU of the transfer itself (a 512 MB
 * download: about 0.5 s of user CPU against 0.1 s here, bench/README.md). An agent (libprocess)
 * answers a download with a `Content-Length` body, and that is the one framing read here: any other
 * answer (chunked, no length, an encoding, a head this reader does not parse) comes back as
 * `unsupported` before a byte of it is consumed, and the caller asks again through node:http, which
 * reads every framing. Only HttpClient uses this module: it supplies the request's headers, TLS
 * settings and limits, and turns failures into its messages.
 */
import { createRequire } from 'node:module'
import * as net from 'node:net'
import type * as Tls from 'node:tls'
import { abortError, onAbort } from './abort.js'
import { TIMEOUT } from './errors.js'

/** One read on one connection; the buffer is reused for every read on it. */
const READ_BYTES = 256 * 1024
/** Status line and headers: an answer whose head is longer is left to node:http. */
const MAX_HEAD_BYTES = 64 * 1024
/** A non-2xx body (an error text) is read whole; a longer one is left to node:http. */
const MAX_ANSWER_BYTES = 1024 * 1024

/** Takes one piece of the body; it is valid only until this returns, or until its promise settles. */
export type Consume = (piece: Buffer) => void | Promise<void>

export interface BulkTarget {
  scheme: 'http' | 'https'
  host: string
  port: number
  /** As sent: prefix, path and query. */
  path: string
  headers: Record<string, string>
  ca?: Buffer
  rejectUnauthorized: boolean
}

export interface BulkLimits {
  /** Connecting, and the answer's head. */
  headMs: number
  /** Between pieces of the body (not counted while the consumer holds one). */
  idleMs: number
  signals: readonly (AbortSignal | undefined)[]
  /**
   * A body read whole: it must end within `headMs` of the request, plus the time its length takes
   * at this rate (without it, only the idle time between pieces bounds it).
   */
  bytesPerSec?: number
  /** A transport failure (not the consumer's own) as the caller reports it. */
  wrap(err: Error, inBody: boolean): Error
}

export type BulkResult =
  /** A 2xx body, handed to the consumer in full. */
  | { kind: 'streamed'; status: number; bytes: number }
  /** Any other status, its body read whole. */
  | { kind: 'answered'; status: number; headers: Record<string, string>; body: Buffer }
  /** Framing this reader does not do; nothing was consumed. */
  | { kind: 'unsupported'; status: number }

let tlsModule: typeof Tls | undefined
function tls(): typeof Tls {
  tlsModule ??= createRequire(import.meta.url)('node:tls') as typeof Tls
  return tlsModule
}

function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code })
}

/** A reused connection the server had closed while it sat idle: asked again on a new one. */
class Stale extends Error {}

interface Head {
  status: number
  headers: Record<string, string>
  /** The body's length; undefined when the framing is not one this reader does. */
  length?: number
  keepAlive: boolean
}

/** The status line and headers; `undefined` when they are not a plain HTTP/1.x head. */
export function parseHead(text: string): Head | undefined {
  const lines = text.split('\r\n')
  const m = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0] ?? '')
  if (!m) return undefined
  const headers: Record<string, string> = {}
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    if (colon <= 0 || /[\s]/.test(line.slice(0, colon))) return undefined
    const name = line.slice(0, colon).toLowerCase()
    const value = line.slice(colon + 1).trim()
    // a repeated header is joined as node does; a repeated length that differs is refused below
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value
  }
  const status = Number(m[2])
  const connection = (headers.connection ?? '').toLowerCase()
  const keepAlive = m[1] === '1' ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection)
  const plain =
    status >= 200 &&
    status !== 204 &&
    status !== 304 &&
    headers['transfer-encoding'] === undefined &&
    (headers['content-encoding'] ?? 'identity').toLowerCase() === 'identity' &&
    /^\d{1,15}$/.test(headers['content-length'] ?? '')
  return { status, headers, keepAlive, ...(plain ? { length: Number(headers['content-length']) } : {}) }
}

class Conn {
  readonly buf = Buffer.allocUnsafe(READ_BYTES)
  readonly socket: net.Socket
  connected = false
  /** Has answered a request before: a failure before the first byte of an answer means it went stale. */
  served = false
  /** The request in flight: takes each read (returns false to pause the socket). */
  onRead?: (n: number) => boolean
  /** The request in flight: the connection ended or failed. */
  onGone?: (err: Error | undefined) => void

  constructor(t: BulkTarget) {
    const onread = {
      buffer: this.buf,
      callback: (n: number): boolean => {
        if (this.onRead) return this.onRead(n)
        // bytes nobody asked for: the connection cannot be trusted with another request
        this.socket.destroy()
        return false
      },
    }
    this.socket =
      t.scheme === 'https'
        ? tls().connect({
            host: t.host,
            port: t.port,
            // SNI takes names only; an address is checked against the certificate's IP entries
            ...(net.isIP(t.host) ? {} : { servername: t.host }),
            ...(t.ca ? { ca: t.ca } : {}),
            rejectUnauthorized: t.rejectUnauthorized,
            // tls.connect reads `onread` as net.connect does (node's docs); its typings omit it
            onread,
          } as Tls.ConnectionOptions)
        : net.connect({ host: t.host, port: t.port, onread })
    this.socket.once(t.scheme === 'https' ? 'secureConnect' : 'connect', () => (this.connected = true))
    this.socket.on('error', (err) => this.onGone?.(err))
    this.socket.on('close', () => this.onGone?.(undefined))
  }
}

/**
 * The connections of bulk reads, kept alive between files. At most `maxIdle` wait in all, the
 * oldest closed first: a command that reads from a thousand agents once each must not keep a
 * thousand sockets (and their read buffers) open.
 */
export class BulkPool {
  /** Oldest first. */
  private idle: { key: string; conn: Conn }[] = []

  constructor(private readonly maxIdle: number) {}

  async get(t: BulkTarget, consume: Consume, l: BulkLimits): Promise<BulkResult> {
    // what node:http would refuse to send is left to it, with its own error
    if (/[\r\n\0]/.test(t.path + Object.entries(t.headers).join())) return { kind: 'unsupported', status: 0 }
    const key = `${t.scheme}://${t.host}:${t.port}`
    const reused = this.take(key)
    if (reused) {
      try {
        return await this.exchange(key, reused, t, consume, l)
      } catch (err) {
        if (!(err instanceof Stale)) throw err
      }
    }
    return this.exchange(key, new Conn(t), t, consume, l)
  }

  /** The most recently used idle connection to `key`. */
  private take(key: string): Conn | undefined {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      if (this.idle[i]!.key !== key) continue
      const { conn } = this.idle.splice(i, 1)[0]!
      if (conn.socket.destroyed) continue
      conn.socket.ref()
      return conn
    }
    return undefined
  }

  private put(key: string, conn: Conn): void {
    if (conn.socket.destroyed) return
    conn.onRead = undefined
    const entry = { key, conn }
    conn.onGone = () => {
      const at = this.idle.indexOf(entry)
      if (at >= 0) this.idle.splice(at, 1)
      conn.socket.destroy()
    }
    // an idle connection never keeps the process alive, and reads on, to see the server close it
    conn.socket.unref()
    conn.socket.resume()
    this.idle.push(entry)
    while (this.idle.length > this.maxIdle) this.idle.shift()!.conn.socket.destroy()
  }

  private exchange(key: string, conn: Conn, t: BulkTarget, consume: Consume, l: BulkLimits): Promise<BulkResult> {
    const s = conn.socket
    return new Promise<BulkResult>((resolve, reject) => {
      let settled = false
      let head: Buffer | undefined = Buffer.alloc(0)
      let parsed: Head | undefined
      let left = 0
      let bytes = 0
      const answer: Buffer[] = []
      let holding = false
      let ended = false

      const end = (err: Error | undefined, result?: BulkResult): void => {
        if (settled) return
        settled = true
        clearTimeout(headTimer)
        clearTimeout(wholeTimer)
        s.setTimeout(0)
        s.off('timeout', idle)
        unlink()
        conn.onRead = undefined
        conn.onGone = undefined
        if (err) {
          s.destroy()
          reject(err)
        } else resolve(result!)
      }
      const fail = (err: Error): void => end(err instanceof Stale || err.name === 'AbortError' ? err : l.wrap(err, parsed !== undefined))
      const idle = () => fail(coded(TIMEOUT.body, TIMEOUT.body))
      const started = Date.now()
      let wholeTimer: NodeJS.Timeout | undefined
      const headTimer = setTimeout(() => fail(coded('timeout', conn.connected ? TIMEOUT.headers : TIMEOUT.connect)), l.headMs)
      let unlink = (): void => {}
      // one listener for the exchange; the idle timer itself is started and stopped with the body
      s.on('timeout', idle)

      const complete = (): void => {
        conn.served = true
        const result: BulkResult =
          parsed!.status >= 200 && parsed!.status < 300
            ? { kind: 'streamed', status: parsed!.status, bytes }
            : { kind: 'answered', status: parsed!.status, headers: parsed!.headers, body: Buffer.concat(answer) }
        const keep = parsed!.keepAlive && !ended
        end(undefined, result)
        if (keep) this.put(key, conn)
        else s.destroy()
      }

      /** The body's next piece; false when reading must wait for the consumer. */
      const body = (piece: Buffer): boolean => {
        if (piece.length > left) {
          fail(coded(`the answer ran ${piece.length - left} bytes past its Content-Length`, 'EPROTO_LENGTH'))
          return false
        }
        left -= piece.length
        if (parsed!.status >= 300 || parsed!.status < 200) {
          answer.push(Buffer.from(piece))
          if (left === 0) complete()
          return true
        }
        bytes += piece.length
        let pending: void | Promise<void>
        try {
          pending = consume(piece)
        } catch (err) {
          end(err as Error)
          return false
        }
        if (!pending) {
          if (left === 0) complete()
          return !settled
        }
        // the piece lives in the connection's buffer: no read until the consumer is done with it
        holding = true
        s.setTimeout(0)
        pending.then(
          () => {
            holding = false
            if (settled) return
            if (left === 0) return complete()
            if (ended) return fail(coded('closed', 'ECONNRESET'))
            s.setTimeout(l.idleMs)
            s.resume()
          },
          (err: unknown) => end(err as Error),
        )
        return false
      }

      conn.onRead = (n: number): boolean => {
        if (settled) return false
        if (head === undefined) return body(conn.buf.subarray(0, n))
        head = Buffer.concat([head, conn.buf.subarray(0, n)])
        const stop = head.indexOf('\r\n\r\n')
        if (stop < 0) {
          if (head.length > MAX_HEAD_BYTES) end(undefined, { kind: 'unsupported', status: 0 })
          return !settled
        }
        parsed = parseHead(head.subarray(0, stop).toString('latin1'))
        const rest = head.subarray(stop + 4)
        head = undefined
        clearTimeout(headTimer)
        if (parsed?.length === undefined || (parsed.status >= 300 && parsed.length > MAX_ANSWER_BYTES)) {
          end(undefined, { kind: 'unsupported', status: parsed?.status ?? 0 })
          return false
        }
        left = parsed.length
        s.setTimeout(l.idleMs)
        if (l.bytesPerSec) {
          const due = started + l.headMs + (left / l.bytesPerSec) * 1000
          wholeTimer = setTimeout(idle, Math.max(0, Math.min(due - Date.now(), 2 ** 31 - 1)))
        }
        if (left === 0) {
          if (rest.length > 0) return body(rest)
          complete()
          return false
        }
        return rest.length === 0 ? true : body(rest)
      }
      conn.onGone = (err) => {
        ended = true
        if (settled || holding) return
        // a kept connection the server closed meanwhile: nothing was asked of it yet
        if (conn.served && head !== undefined && head.length === 0) return end(new Stale())
        fail(err ?? coded(parsed ? `closed after ${bytes} of ${bytes + left} bytes` : 'closed', 'ECONNRESET'))
      }

      const lines = [`GET ${t.path} HTTP/1.1`, `host: ${net.isIPv6(t.host) ? `[${t.host}]` : t.host}:${t.port}`]
      for (const [name, value] of Object.entries(t.headers)) lines.push(`${name}: ${value}`)
      // a signal that has already fired ends the exchange here, before anything is sent
      unlink = onAbort(l.signals, (reason) => end(abortError(reason)))
      if (settled) return
      s.write(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
      s.resume()
    })
  }

  close(): void {
    for (const { conn } of this.idle.splice(0)) conn.socket.destroy()
  }
}
