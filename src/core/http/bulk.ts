/**
 * Bulk bodies: a sandbox file from `/files/download` read straight off the socket into one buffer
 * that each connection reuses for every read, and handed to a consumer that is done with each
 * piece before the next read lands in it.
 *
 * node's http client allocates every read anew and passes it through its parser and a stream; for
 * the hundreds of MB of a sandbox that costs several times the CPU of the transfer itself (a 512 MB
 * download: about 0.5 s of user CPU against 0.1 s here, bench/README.md). An agent (libprocess)
 * answers a download with a `Content-Length` body; a master's state of a big cluster may come
 * chunked (an HTTP/1.1 server that streams it). Those two framings of a 2xx answer are read here:
 * any other answer (no length, an encoding, a chunked error, a head this reader does not parse)
 * comes back as `unsupported` before a byte of its body is consumed, and the caller asks again
 * through node:http, which reads every framing. Only HttpClient uses this module: it supplies the
 * request's headers, TLS settings and limits, and turns failures into its messages.
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

/**
 * An IP address rather than a name. The host is a name or an address, never with a port: a colon
 * makes it an IPv6 address (node's `isIPv6` compiles a regular expression that costs a command
 * 15 ms on its first call).
 */
function isAddress(host: string): boolean {
  return host.includes(':') || net.isIPv4(host)
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
  /** A 2xx body in chunked transfer coding. */
  chunked?: true
  keepAlive: boolean
}

const CR = 0x0d
const LF = 0x0a
/** A chunk-size line (with its extensions) or a trailer line longer than this is refused. */
const MAX_LINE = 4096

/** Where the chunked decoder is (RFC 9112 §7.1). */
const enum At {
  Size,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  Trailer,
  TrailerLf,
  Done,
}

/**
 * Chunked transfer coding, decoded as it arrives: the framing is passed over and the body bytes
 * are pointed at where they lie in each read, never copied.
 */
export class Dechunker {
  private at = At.Size
  private size = 0
  private digits = 0
  /** In the chunk extensions (or the blanks before them) of a size line. */
  private ext = false
  private line = 0
  private left = 0

  get done(): boolean {
    return this.at === At.Done
  }

  /**
   * Passes the framing in `piece` from `from`: the range of body bytes that comes next, or an
   * empty range at the end of the piece or of the body (`done`). Throws on framing that is wrong.
   */
  next(piece: Uint8Array, from: number): [number, number] {
    let p = from
    const n = piece.length
    while (p < n) {
      if (this.at === At.Data) {
        const take = Math.min(this.left, n - p)
        this.left -= take
        if (this.left === 0) this.at = At.DataCr
        return [p, p + take]
      }
      if (this.at === At.Done) break
      const c = piece[p++]!
      switch (this.at) {
        case At.Size: {
          const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1
          if (c === CR) this.at = At.SizeLf
          else if (this.ext || ((c === 0x3b || c === 0x20 || c === 0x09) && this.digits > 0)) {
            this.ext = true
            if (++this.line > MAX_LINE) throw framing('a chunk-size line is too long')
          } else if (d >= 0 && this.digits < 12) {
            this.size = this.size * 16 + d
            this.digits++
          } else throw framing(d >= 0 ? 'a chunk is too big' : 'a chunk size is not hexadecimal')
          break
        }
        case At.SizeLf:
          if (c !== LF || this.digits === 0) throw framing('a chunk size is not hexadecimal')
          this.left = this.size
          this.at = this.size === 0 ? At.Trailer : At.Data
          this.size = this.digits = this.line = 0
          this.ext = false
          break
        case At.DataCr:
        case At.DataLf:
          if (c !== (this.at === At.DataCr ? CR : LF)) throw framing('a chunk runs past its size')
          this.at = this.at === At.DataCr ? At.DataLf : At.Size
          break
        case At.Trailer:
          if (c === CR) this.at = At.TrailerLf
          else if (++this.line > MAX_LINE) throw framing('a trailer line is too long')
          break
        case At.TrailerLf:
          if (c !== LF) throw framing('a trailer line does not end with CRLF')
          this.at = this.line === 0 ? At.Done : At.Trailer
          this.line = 0
          break
      }
    }
    return [p, p]
  }
}

function framing(message: string): Error {
  return coded(`bad chunked framing: ${message}`, 'EPROTO_CHUNKED')
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
  const identity = status >= 200 && status !== 204 && status !== 304 && (headers['content-encoding'] ?? 'identity').toLowerCase() === 'identity'
  const te = headers['transfer-encoding']
  const length = identity && te === undefined && /^\d{1,15}$/.test(headers['content-length'] ?? '')
  const chunked =
    identity && m[1] === '1' && status < 300 && te?.toLowerCase() === 'chunked' && headers['content-length'] === undefined
  return { status, headers, keepAlive, ...(length ? { length: Number(headers['content-length']) } : {}), ...(chunked ? { chunked: true as const } : {}) }
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
            ...(isAddress(t.host) ? {} : { servername: t.host }),
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
      let dechunk: Dechunker | undefined

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

      /**
       * A chunked body's next read, from `from`: each run of body bytes in it goes to the consumer
       * in turn; false when reading must wait for the consumer (the rest of the read is taken up
       * when it is done) or the exchange is over.
       */
      const chunks = (piece: Buffer, from: number): boolean => {
        let at = from
        while (at < piece.length && !dechunk!.done) {
          let range: [number, number]
          try {
            range = dechunk!.next(piece, at)
          } catch (err) {
            fail(err as Error)
            return false
          }
          const [start, stop] = range
          at = stop
          if (stop === start) continue
          bytes += stop - start
          let pending: void | Promise<void>
          try {
            pending = consume(piece.subarray(start, stop))
          } catch (err) {
            end(err as Error)
            return false
          }
          if (settled) return false
          if (!pending) continue
          holding = true
          s.setTimeout(0)
          pending.then(
            () => {
              holding = false
              if (settled || !chunks(piece, at)) return
              if (ended) return fail(coded('closed', 'ECONNRESET'))
              s.setTimeout(l.idleMs)
              s.resume()
            },
            (err: unknown) => end(err as Error),
          )
          return false
        }
        if (!dechunk!.done) return true
        if (at < piece.length) {
          fail(framing(`${piece.length - at} bytes came after the last chunk`))
          return false
        }
        complete()
        return false
      }

      /** The body's next piece; false when reading must wait for the consumer. */
      const body = (piece: Buffer): boolean => {
        if (dechunk) return chunks(piece, 0)
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
        if (parsed?.chunked) {
          dechunk = new Dechunker()
          s.setTimeout(l.idleMs)
          const perSec = l.bytesPerSec
          if (perSec) {
            // the length is not known: the deadline grows with what has come
            const arm = () => {
              const due = started + l.headMs + (bytes / perSec) * 1000
              if (due <= Date.now()) return idle()
              wholeTimer = setTimeout(arm, Math.min(due - Date.now(), 2 ** 31 - 1))
            }
            arm()
          }
          return rest.length === 0 ? true : body(rest)
        }
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
        fail(err ?? coded(parsed ? (dechunk ? `closed after ${bytes} bytes, before the last chunk` : `closed after ${bytes} of ${bytes + left} bytes`) : 'closed', 'ECONNRESET'))
      }

      const lines = [`GET ${t.path} HTTP/1.1`, `host: ${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`]
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
