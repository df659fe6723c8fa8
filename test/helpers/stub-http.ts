/**
 * A stub registry for HTTP in unit tests, on a real loopback server: each stub answers one method
 * and path (query included when given). A request no stub matches fails the test, and so does a
 * stub that was never used: `verify()` says which.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StubResponse {
  status?: number
  headers?: Record<string, string>
  body?: unknown
}

interface Stub {
  method: string
  path: string
  respond: (req: IncomingMessage) => StubResponse
  uses: number
}

export interface StubRegistry {
  /** `127.0.0.1:PORT` */
  address: string
  stub(method: string, path: string, response: StubResponse | ((req: IncomingMessage) => StubResponse)): void
  /** Throws when a request matched no stub or a stub was never used. */
  verify(): void
  close(): Promise<void>
}

function matches(stub: Stub, req: IncomingMessage): boolean {
  if (stub.method !== req.method) return false
  const url = req.url ?? ''
  return stub.path.includes('?') ? url === stub.path : url.split('?')[0] === stub.path
}

function send(res: ServerResponse, r: StubResponse): void {
  const body = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body)
  res.writeHead(r.status ?? 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...r.headers })
  res.end(body)
}

export async function stubRegistry(): Promise<StubRegistry> {
  const stubs: Stub[] = []
  const unmatched: string[] = []
  const server = createServer((req, res) => {
    const stub = stubs.find((s) => matches(s, req))
    if (!stub) {
      unmatched.push(`${req.method} ${req.url}`)
      return send(res, { status: 599, body: { error: 'no stub' } })
    }
    stub.uses++
    send(res, stub.respond(req))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  return {
    address: `127.0.0.1:${port}`,
    stub(method, path, response) {
      stubs.push({ method, path, respond: typeof response === 'function' ? response : () => response, uses: 0 })
    },
    verify() {
      const unused = stubs.filter((s) => s.uses === 0).map((s) => `${s.method} ${s.path}`)
      const problems = [
        ...unmatched.map((u) => `unmatched request: ${u}`),
        ...unused.map((u) => `stub never used: ${u}`),
      ]
      if (problems.length > 0) throw new Error(problems.join('\n'))
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
