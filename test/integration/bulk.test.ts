/**
 * Bulk bodies (`HttpClient.stream`, used for `/files/download` and `/master/state`) over real
 * loopback HTTP(S): bytes exact however the consumer holds its pieces, kept-alive connections (and
 * one the server closed), chunked coding, every other framing handed to node:http, statuses,
 * timeouts, aborts, TLS and credentials.
 */
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttps } from 'node:https'
import { createServer as createNet, type Socket } from 'node:net'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MesosError } from '../../src/core/errors.js'
import { Dechunker, parseHead } from '../../src/core/http/bulk.js'
import { HttpClient, type HttpOptions } from '../../src/core/http/client.js'
import type { Endpoint } from '../../src/core/http/endpoint.js'
import { AgentFiles, IsADirectory } from '../../src/core/sandbox/files.js'
import { selfSignedCert } from '../helpers/http-server.js'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

interface Srv {
  port: number
  connections: number
  requests: IncomingMessage[]
  close(): Promise<void>
}

const open: Srv[] = []
const clients: HttpClient[] = []

/** Closes a server and every connection still open to it. */
function closer(server: { close(cb: () => void): unknown }, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy()
      server.close(() => r())
    })
}

async function serve(handler: Handler, tls?: { key: Buffer; cert: Buffer }): Promise<Srv> {
  const sockets = new Set<Socket>()
  const srv: Srv = { port: 0, connections: 0, requests: [], close: async () => {} }
  const server: Server = tls
    ? createHttps({ key: tls.key, cert: tls.cert }, (req, res) => (srv.requests.push(req), handler(req, res)))
    : createHttp((req, res) => (srv.requests.push(req), handler(req, res)))
  server.on(tls ? 'secureConnection' : 'connection', (s: Socket) => {
    srv.connections++
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  srv.port = (server.address() as { port: number }).port
  srv.close = closer(server, sockets)
  open.push(srv)
  return srv
}

/** A TCP server that answers with whatever `onRequest` writes (for what node's server will not send). */
async function raw(onRequest: (s: Socket, n: number) => void): Promise<Srv> {
  const sockets = new Set<Socket>()
  const srv: Srv = { port: 0, connections: 0, requests: [], close: async () => {} }
  let n = 0
  const server = createNet((s) => {
    srv.connections++
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    s.on('error', () => {})
    let got = ''
    s.on('data', (d) => {
      got += d.toString('latin1')
      while (got.includes('\r\n\r\n')) {
        got = got.slice(got.indexOf('\r\n\r\n') + 4)
        onRequest(s, n++)
      }
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  srv.port = (server.address() as { port: number }).port
  srv.close = closer(server, sockets)
  open.push(srv)
  return srv
}

function client(opts: Partial<HttpOptions> = {}): HttpClient {
  const c = new HttpClient({ timeoutSec: 5, ...opts })
  clients.push(c)
  return c
}

const agent = (s: Srv, scheme: 'http' | 'https' = 'http'): Endpoint => ({ role: 'agent', scheme, host: '127.0.0.1', port: s.port })

async function collect(c: HttpClient, e: Endpoint, path = '/files/download', signal?: AbortSignal) {
  const pieces: Buffer[] = []
  const got = await c.stream(e, path, (p) => void pieces.push(Buffer.from(p)), { query: { path: '/x' }, signal })
  return { got, body: Buffer.concat(pieces), pieces }
}

function caught(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a failure')
    },
    (e: unknown) => e as Error,
  )
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await Promise.all(open.splice(0).map((s) => s.close()))
})

describe('bytes', () => {
  const data = randomBytes(3 * 1024 * 1024 + 17)

  it('arrive exactly, in pieces no larger than one read', async () => {
    const s = await serve((_q, r) => {
      r.writeHead(200, { 'content-length': data.length })
      r.end(data)
    })
    const { got, body, pieces } = await collect(client(), agent(s))
    expect(got).toBe(data.length)
    expect(body.equals(data)).toBe(true)
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(256 * 1024)
  })

  it('stay intact while an asynchronous consumer holds a piece (no read lands in it meanwhile)', async () => {
    const s = await serve((_q, r) => {
      r.writeHead(200, { 'content-length': data.length })
      r.end(data)
    })
    const kept: Buffer[] = []
    let held = 0
    const got = await client().stream(agent(s), '/files/download', async (piece) => {
      const before = Buffer.from(piece)
      // let the socket deliver whatever it has while the piece is held
      await new Promise((r) => setTimeout(r, 2))
      held++
      expect(piece.equals(before)).toBe(true)
      kept.push(before)
    })
    expect(got).toBe(data.length)
    expect(held).toBeGreaterThan(1)
    expect(Buffer.concat(kept).equals(data)).toBe(true)
  })

  it('an empty body, and sequential files on one kept-alive connection', async () => {
    const s = await serve((q, r) => {
      const body = q.url!.includes('empty') ? Buffer.alloc(0) : data.subarray(0, 1000)
      r.writeHead(200, { 'content-length': body.length })
      r.end(body)
    })
    const c = client()
    expect((await collect(c, agent(s), '/files/download?empty')).body.length).toBe(0)
    for (let i = 0; i < 4; i++) expect((await collect(c, agent(s))).body.equals(data.subarray(0, 1000))).toBe(true)
    expect(s.requests).toHaveLength(5)
    expect(s.connections).toBe(1)
  })
})

describe('connections', () => {
  it('a kept connection the server closes on the next request is replaced, the request asked again', async () => {
    const s = await raw((sock, n) => {
      if (n === 1) return void sock.destroy()
      sock.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello')
    })
    const c = client()
    expect((await collect(c, agent(s))).body.toString()).toBe('hello')
    expect((await collect(c, agent(s))).body.toString()).toBe('hello')
    expect(s.connections).toBe(2)
  })

  it('a connection the server closed while idle is not reused', async () => {
    const s = await raw((sock) => sock.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok'))
    const c = client()
    expect((await collect(c, agent(s))).body.toString()).toBe('ok')
    expect((await collect(c, agent(s))).body.toString()).toBe('ok')
    expect(s.connections).toBe(2)
  })

  it('a body cut short is an error naming the agent and the file, never a short success', async () => {
    const s = await raw((sock) => {
      sock.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n')
      sock.end(Buffer.alloc(5000, 1))
    })
    const files = new AgentFiles(client(), agent(s))
    let seen = 0
    const err = await caught(files.each('/x', (p) => void (seen += p.length)))
    expect(err).toBeInstanceOf(MesosError)
    expect(err.message).toBe(`agent 127.0.0.1:${s.port}: reading /x failed: connection to agent 127.0.0.1:${s.port} was reset`)
    expect(seen).toBe(5000)
  })

  it('bytes past Content-Length are an error', async () => {
    const s = await raw((sock) => sock.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA'))
    const err = await caught(new AgentFiles(client(), agent(s)).each('/x', () => {}))
    expect(err.message).toMatch(/reading \/x failed: .*ran 5 bytes past its Content-Length/)
  })
})

describe('chunked answers (a master streaming its state) are read off the socket too', () => {
  it('bytes exact, one request, kept alive; an asynchronous consumer holds pieces', async () => {
    const data = randomBytes(700_000)
    const s = await serve((_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' })
      r.write(data.subarray(0, 1000))
      r.write(data.subarray(1000, 300_000))
      r.end(data.subarray(300_000))
    })
    const debug: string[] = []
    const c = client({ debug: (l) => debug.push(l) })
    const { got, body } = await collect(c, agent(s))
    expect(got).toBe(data.length)
    expect(body.equals(data)).toBe(true)
    const kept: Buffer[] = []
    const again = await c.stream(agent(s), '/files/download', async (piece) => {
      const before = Buffer.from(piece)
      await new Promise((r) => setImmediate(r))
      expect(piece.equals(before)).toBe(true)
      kept.push(before)
    })
    expect(again).toBe(data.length)
    expect(Buffer.concat(kept).equals(data)).toBe(true)
    expect(s.requests).toHaveLength(2)
    expect(s.connections).toBe(1)
    expect(debug.some((l) => /asked again through node:http/.test(l))).toBe(false)
  })

  it('extensions, upper-case sizes, trailers; then the next answer on the same connection', async () => {
    const s = await raw((sock) =>
      sock.write(
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
          '5;name=value\r\nhello\r\nA \t; x\r\n, world!!!\r\n0\r\nX-Trailer: 1\r\nY: 2\r\n\r\n',
      ),
    )
    const c = client()
    for (let i = 0; i < 2; i++) expect((await collect(c, agent(s))).body.toString()).toBe('hello, world!!!')
    expect(s.connections).toBe(1)
  })

  it('framing that is wrong, and a connection closed before the last chunk, are errors', async () => {
    const cases: [string, RegExp][] = [
      ['zz\r\nhello\r\n0\r\n\r\n', /chunk size is not hexadecimal/],
      ['\r\nhello\r\n0\r\n\r\n', /chunk size is not hexadecimal/],
      ['3\r\nhello\r\n0\r\n\r\n', /chunk runs past its size/],
      ['1000000000000\r\n', /chunk is too big/],
      ['2\r\nok\r\n0\r\n\r\nEXTRA', /5 bytes came after the last chunk/],
    ]
    for (const [framing, message] of cases) {
      const s = await raw((sock) => sock.write(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${framing}`))
      const err = await caught(new AgentFiles(client(), agent(s)).each('/x', () => {}))
      expect(err, framing).toBeInstanceOf(MesosError)
      expect(err.message, framing).toMatch(message)
    }
    const s = await raw((sock) => sock.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n'))
    let seen = 0
    const err = await caught(new AgentFiles(client(), agent(s)).each('/x', (p) => void (seen += p.length)))
    expect(err.message).toBe(`agent 127.0.0.1:${s.port}: reading /x failed: connection to agent 127.0.0.1:${s.port} was reset`)
    expect(seen).toBe(5)
  })

  it('a chunked answer of another status is asked again through node:http and read whole', async () => {
    const s = await serve((_q, r) => {
      r.writeHead(500, { 'content-type': 'text/plain' })
      r.write('the agent ')
      r.end('failed')
    })
    const debug: string[] = []
    const got = await client({ debug: (l) => debug.push(l) }).stream(agent(s), '/files/download', () => {})
    expect(typeof got === 'number' ? got : await got.text()).toBe('the agent failed')
    expect(s.requests).toHaveLength(2)
    expect(debug.some((l) => /asked again through node:http/.test(l))).toBe(true)
  })
})

describe('Dechunker', () => {
  it('gives back the body however the framing is cut into reads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        (parts, cuts, extras) => {
          const framing = parts.map((p) => Buffer.concat([Buffer.from(`${p.length.toString(16)}${extras ? ';e=1' : ''}\r\n`), p, Buffer.from('\r\n')]))
          const wire = Buffer.concat([...framing, Buffer.from(extras ? '0\r\nT: x\r\n\r\n' : '0\r\n\r\n')])
          const d = new Dechunker()
          const out: Buffer[] = []
          for (let at = 0, k = 0; at < wire.length; k++) {
            const piece = wire.subarray(at, at + cuts[k % cuts.length]!)
            at += piece.length
            for (let p = 0; p < piece.length; ) {
              const [start, stop] = d.next(piece, p)
              out.push(Buffer.from(piece.subarray(start, stop)))
              p = stop
            }
          }
          expect(d.done).toBe(true)
          expect(Buffer.concat(out).equals(Buffer.concat(parts))).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('framing other than Content-Length or chunked goes through node:http', () => {
  it('a body ended by closing the connection', async () => {
    const s = await raw((sock) => sock.end('HTTP/1.0 200 OK\r\n\r\nuntil close'))
    expect((await collect(client(), agent(s))).body.toString()).toBe('until close')
  })

  it('the head, parsed', () => {
    expect(parseHead('HTTP/1.1 200 OK\r\nContent-Length: 12\r\nX-A: b')).toEqual({
      status: 200,
      headers: { 'content-length': '12', 'x-a': 'b' },
      keepAlive: true,
      length: 12,
    })
    expect(parseHead('HTTP/1.0 200 OK\r\nContent-Length: 1')?.keepAlive).toBe(false)
    expect(parseHead('HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: Keep-Alive')?.keepAlive).toBe(true)
    expect(parseHead('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close')?.keepAlive).toBe(false)
    // framings read elsewhere: no length
    for (const extra of ['Transfer-Encoding: chunked', 'Content-Encoding: gzip', 'Content-Length: 2']) {
      expect(parseHead(`HTTP/1.1 200 OK\r\nContent-Length: 1\r\n${extra}`)?.length).toBeUndefined()
      expect(parseHead(`HTTP/1.1 200 OK\r\nContent-Length: 1\r\n${extra}`)?.chunked).toBeUndefined()
    }
    expect(parseHead('HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked')?.chunked).toBe(true)
    for (const head of ['HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked', 'HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip']) {
      expect(parseHead(head)?.chunked, head).toBeUndefined()
    }
    expect(parseHead('HTTP/1.1 200 OK\r\nContent-Length: -1')?.length).toBeUndefined()
    expect(parseHead('HTTP/1.1 100 Continue\r\nContent-Length: 1')?.length).toBeUndefined()
    expect(parseHead('HTTP/2 200')).toBeUndefined()
    expect(parseHead('HTTP/1.1 200 OK\r\nbad header')).toBeUndefined()
  })
})

describe('statuses', () => {
  it('404 is a missing file; 400 on a directory is IsADirectory; 500 is an error with its text', async () => {
    const s = await serve((q, r) => {
      const status = q.url!.includes('missing') ? 404 : q.url!.includes('dir') ? 400 : 500
      const text = status === 404 ? '' : status === 400 ? 'Cannot download a directory.\n' : 'boom\n'
      r.writeHead(status, { 'content-length': Buffer.byteLength(text) })
      r.end(text)
    })
    const files = new AgentFiles(client(), agent(s))
    expect(await files.each('/missing', () => {})).toBeUndefined()
    expect(await caught(files.each('/dir', () => {}))).toBeInstanceOf(IsADirectory)
    const err = await caught(files.each('/other', () => {}))
    expect(err.message).toBe(`agent 127.0.0.1:${s.port} answered 500 for GET /files/download: boom`)
    // each answered on the same connection, once
    expect(s.requests).toHaveLength(3)
    expect(s.connections).toBe(1)
  })
})

describe('limits', () => {
  it('no answer within the timeout', async () => {
    const s = await raw(() => {})
    const err = await caught(collect(client({ timeoutSec: 0.3 }), agent(s)))
    expect(err.message).toBe(`agent 127.0.0.1:${s.port} did not answer within 0.3s`)
  })

  it('a body that stops arriving', async () => {
    const s = await raw((sock) => sock.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'))
    const err = await caught(new AgentFiles(client({ timeoutSec: 0.3 }), agent(s)).each('/x', () => {}))
    expect(err.message).toBe(`agent 127.0.0.1:${s.port}: reading /x failed: agent 127.0.0.1:${s.port} did not answer within 0.3s`)
  })

  it('a consumer that holds a piece longer than the timeout is not a stalled body', async () => {
    const s = await serve((_q, r) => {
      r.writeHead(200, { 'content-length': 300_000 })
      r.end(Buffer.alloc(300_000, 7))
    })
    let pieces = 0
    const got = await client({ timeoutSec: 0.2 }).stream(agent(s), '/f', async () => {
      if (pieces++ === 0) await new Promise((r) => setTimeout(r, 500))
    })
    expect(got).toBe(300_000)
  })

  it('an abort mid-body rejects with AbortError and closes the connection', async () => {
    const s = await raw((sock) => sock.write(`HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n${'x'.repeat(1000)}`))
    const ac = new AbortController()
    const err = await caught(client().stream(agent(s), '/f', () => ac.abort(), { signal: ac.signal }))
    expect(err.name).toBe('AbortError')
  })

  it("the consumer's own failure comes back as it is", async () => {
    const s = await serve((_q, r) => {
      r.writeHead(200, { 'content-length': 10 })
      r.end('0123456789')
    })
    const mine = new Error('disk full')
    expect(
      await caught(
        client().stream(agent(s), '/f', () => {
          throw mine
        }),
      ),
    ).toBe(mine)
  })
})

describe('TLS and credentials', () => {
  let tls: ReturnType<typeof selfSignedCert>
  beforeAll(() => {
    tls = selfSignedCert()
  })
  const handler: Handler = (_q, r) => {
    r.writeHead(200, { 'content-length': 7 })
    r.end('secured')
  }

  it('a self-signed certificate is refused by default', async () => {
    const s = await serve(handler, tls)
    const err = await caught(collect(client(), agent(s, 'https')))
    expect(err.message).toBe(`TLS certificate of agent 127.0.0.1:${s.port} not trusted: self-signed certificate`)
  })

  it('and read with ca_file; the credentials go over https', async () => {
    const s = await serve(handler, tls)
    const c = client({ caFile: tls.certFile, principal: 'ops', secret: 'pw' })
    expect((await collect(c, agent(s, 'https'))).body.toString()).toBe('secured')
    expect(s.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('ops:pw').toString('base64')}`)
  })

  it('never over plain http unless asked', async () => {
    const s = await serve(handler)
    await collect(client({ principal: 'ops', secret: 'pw' }), agent(s))
    expect(s.requests[0]!.headers.authorization).toBeUndefined()
    expect(s.requests[0]!.headers['user-agent']).toBe('mesos-cli')
  })
})

describe('AgentFiles.open: copies a reader may keep', () => {
  it('every byte, with a reader slower than the transfer', async () => {
    const data = randomBytes(2 * 1024 * 1024 + 3)
    const s = await serve((_q, r) => {
      r.writeHead(200, { 'content-length': data.length })
      r.end(data)
    })
    const body = await new AgentFiles(client(), agent(s)).open('/x')
    const kept: Buffer[] = []
    for await (const piece of body!) {
      kept.push(piece)
      await new Promise((r) => setImmediate(r))
    }
    expect(Buffer.concat(kept).equals(data)).toBe(true)
  })

  it('undefined for a missing file, IsADirectory thrown before any piece, an empty file empty', async () => {
    const s = await serve((q, r) => {
      const status = q.url!.includes('missing') ? 404 : q.url!.includes('dir') ? 400 : 200
      const text = status === 400 ? 'Cannot download a directory.\n' : ''
      r.writeHead(status, { 'content-length': Buffer.byteLength(text) })
      r.end(text)
    })
    const files = new AgentFiles(client(), agent(s))
    expect(await files.open('/missing')).toBeUndefined()
    expect(await caught(files.open('/dir'))).toBeInstanceOf(IsADirectory)
    const empty = await files.open('/empty')
    const pieces: Buffer[] = []
    for await (const p of empty!) pieces.push(p)
    expect(pieces).toEqual([])
  })

  it('a body cut short fails the reader with the error naming the agent and the file, even one that starts late', async () => {
    const s = await raw((sock) => {
      sock.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n')
      sock.write(Buffer.alloc(5000, 1), () => setImmediate(() => sock.destroy()))
    })
    const body = await new AgentFiles(client(), agent(s)).open('/x')
    // the transfer may well fail before the reader starts
    await new Promise((r) => setTimeout(r, 0))
    const read = async () => {
      let n = 0
      for await (const p of body!) n += p.length
      return n
    }
    const err = await caught(read())
    expect(err).toBeInstanceOf(MesosError)
    expect(err.message).toBe(`agent 127.0.0.1:${s.port}: reading /x failed: connection to agent 127.0.0.1:${s.port} was reset`)
  })

  it('a reader that stops early closes the transfer at once, even while the agent sends nothing', async () => {
    let closed!: () => void
    const gone = new Promise<void>((r) => (closed = r))
    const s = await raw((sock) => {
      sock.on('close', closed)
      sock.write(`HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n${'x'.repeat(100)}`)
    })
    const body = await new AgentFiles(client({ timeoutSec: 600 }), agent(s)).open('/x')
    for await (const piece of body!) {
      expect(piece.toString()).toBe('x'.repeat(100))
      break
    }
    await gone
  })
})

describe('getJson with bulk: many small answers, no buffer per answer', () => {
  it('parses, falls back to the .json spelling after a 404, and reports statuses as getJson does', async () => {
    const s = await serve((q, r) => {
      const path = q.url!.split('?')[0]
      const [status, body] =
        path === '/thing.json' ? [200, '{"name":"é"}'] : path === '/bad' ? [200, 'not json'] : path === '/boom' ? [500, 'boom\n'] : [404, '']
      r.writeHead(status, { 'content-length': Buffer.byteLength(body) })
      r.end(body)
    })
    const c = client()
    expect(await c.getJson(agent(s), '/thing', { bulk: true, query: { a: 1 } })).toEqual({ name: 'é' })
    expect(s.requests.map((q) => q.url)).toEqual(['/thing?a=1', '/thing.json?a=1'])
    expect((await caught(c.getJson(agent(s), '/gone', { bulk: true }))).message).toBe(`agent 127.0.0.1:${s.port} answered 404 for GET /gone`)
    expect((await caught(c.getJson(agent(s), '/boom', { bulk: true }))).message).toBe(`agent 127.0.0.1:${s.port} answered 500 for GET /boom: boom`)
    expect((await caught(c.getJson(agent(s), '/bad', { bulk: true }))).message).toMatch(/not JSON/)
    // the same answers as without bulk
    for (const p of ['/gone', '/boom', '/bad']) {
      expect((await caught(c.getJson(agent(s), p))).message).toBe((await caught(c.getJson(agent(s), p, { bulk: true }))).message)
    }
  })

  it('a body trickling in has a deadline, not just an idle time (chunked: it grows with the bytes that came)', async () => {
    const framings: [string, string, string][] = [
      ['Content-Length: 1000', '[', ' '],
      ['Transfer-Encoding: chunked', '1\r\n[\r\n', '1\r\n \r\n'],
    ]
    for (const [header, first, more] of framings) {
      const s = await raw((sock) => {
        sock.write(`HTTP/1.1 200 OK\r\n${header}\r\n\r\n${first}`)
        const t = setInterval(() => (sock.destroyed ? clearInterval(t) : sock.write(more)), 50)
      })
      const err = await caught(client({ timeoutSec: 0.4 }).getJson(agent(s), '/thing', { bulk: true }))
      expect(err.message, header).toBe(`agent 127.0.0.1:${s.port} did not answer within 0.4s`)
    }
  })
})
