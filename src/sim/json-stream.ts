/**
 * The big documents (`/master/state` and the other lists that grow with the tasks) written in
 * pieces: the same bytes as `toBuffer`, produced one task at a time and sent with backpressure,
 * so 1,000,000 tasks (660 MB, beyond V8's longest string) never exist as one string or buffer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Writable } from 'node:stream'
import { createGzip } from 'node:zlib'
import { type Reply, send } from './http.js'
import { Dbl, type JsonStyle, Lazy, RawBytes, toBuffer } from './json.js'

const CHUNK = 64 * 1024
/**
 * Up to this size the document is sent as today, with a Content-Length as libprocess' `OK(json)`
 * does; beyond it the length cannot be known without rendering twice, so the rest goes out with
 * chunked transfer encoding (every HTTP/1.1 client reads it: curl, Python's http.client, Node).
 */
export const BUFFERED_MAX = 8 * 1024 * 1024

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Dbl) && !(v instanceof RawBytes) && !(v instanceof Lazy)

/** The document's bytes in order; Lazy lists are opened at most `depth` objects below the root. */
export function* pieces(doc: unknown, style: JsonStyle, depth = 3): Generator<Buffer> {
  const leaf = (v: unknown) => toBuffer(v, style)
  function* list(l: Lazy): Generator<Buffer> {
    yield Buffer.from('[')
    let first = true
    for (const item of l.items) {
      const el = l.render(item)
      if (!first) yield Buffer.from(',')
      first = false
      if (l.nested && isPlain(el)) yield* object(el, 0)
      else yield leaf(el)
    }
    yield Buffer.from(']')
  }
  function* object(o: Record<string, unknown>, budget: number): Generator<Buffer> {
    let sep = '{'
    for (const k of Object.keys(o)) {
      const v = o[k]
      if (v === undefined) continue
      yield Buffer.concat([Buffer.from(sep), leaf(k), Buffer.from(':')])
      sep = ','
      if (v instanceof Lazy) yield* list(v)
      else if (budget > 0 && isPlain(v)) yield* object(v, budget - 1)
      else yield leaf(v)
    }
    yield Buffer.from(sep === '{' ? '{}' : '}')
  }
  if (doc instanceof Lazy) yield* list(doc)
  else if (isPlain(doc)) yield* object(doc, depth)
  else yield leaf(doc)
}

/** Pieces gathered into chunks of about CHUNK bytes. */
export function* chunks(doc: unknown, style: JsonStyle): Generator<Buffer> {
  let parts: Buffer[] = []
  let size = 0
  for (const p of pieces(doc, style)) {
    parts.push(p)
    size += p.length
    if (size >= CHUNK) {
      yield Buffer.concat(parts, size)
      parts = []
      size = 0
    }
  }
  if (size > 0) yield Buffer.concat(parts, size)
}

export function drained(s: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      s.off('drain', done)
      s.off('close', done)
      resolve()
    }
    s.on('drain', done)
    s.on('close', done)
  })
}

/**
 * Answers 200 with the document: small ones through `send` (Content-Length, gzip, JSONP as any
 * reply), big ones streamed. The model may change while a big one is written (the master builds
 * its document at once): the lists are snapshots, the tasks in them are rendered when written.
 */
export async function sendJson(
  res: ServerResponse,
  req: IncomingMessage,
  doc: unknown,
  style: JsonStyle,
  jsonp?: string,
): Promise<void> {
  const it = chunks(doc, style)
  const head: Buffer[] = []
  let size = 0
  let next = it.next()
  while (!next.done && size <= BUFFERED_MAX) {
    head.push(next.value)
    size += next.value.length
    next = it.next()
  }
  const type = jsonp ? 'text/javascript' : 'application/json'
  if (next.done) {
    const body = Buffer.concat(jsonp ? [Buffer.from(`${jsonp}(`), ...head, Buffer.from(');')] : head)
    const reply: Reply = { status: 200, body, headers: { 'Content-Type': type } }
    return send(res, req, reply)
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
  res.writeHead(200, gzip ? { 'Content-Type': type, 'Content-Encoding': 'gzip' } : { 'Content-Type': type })
  let out: Writable = res
  if (gzip) {
    const z = createGzip()
    z.pipe(res)
    res.on('close', () => z.destroy())
    out = z
  }
  const write = async (b: Buffer) => {
    if (!out.write(b)) await drained(out)
  }
  if (jsonp) await write(Buffer.from(`${jsonp}(`))
  for (const b of head) await write(b)
  head.length = 0
  for (; !next.done; next = it.next()) {
    if (res.destroyed || out.destroyed) return
    await write(next.value)
  }
  if (jsonp) await write(Buffer.from(');'))
  out.end()
}
