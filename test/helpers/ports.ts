import { connect, createServer } from 'node:net'

/** A port that was free on 127.0.0.1 a moment ago (for a server that binds it right away). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/**
 * A port on 127.0.0.1 that refuses connections and keeps refusing them: a privileged one (below
 * 1024) that nothing answers on now. A port from `freePort()` would not do: on a busy machine
 * another test's server may be given it a moment later, and the "refused" becomes an answer.
 */
export async function refusedPort(): Promise<number> {
  for (const port of [1, 3, 5, 7, 9, 11, 13, 17, 19, 1023]) {
    if (await refuses(port)) return port
  }
  throw new Error('every candidate low port on 127.0.0.1 answers; no refusing port for the test')
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1')
    s.once('connect', () => {
      s.destroy()
      resolve(false)
    })
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'))
  })
}

/** A TCP server on loopback that accepts connections and never answers: the worst case for a client. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const { createServer: createTcp } = await import('node:net')
  const sockets = new Set<import('node:net').Socket>()
  const srv = createTcp((s) => {
    sockets.add(s)
    s.on('error', () => {})
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as { port: number }).port
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        srv.close(() => resolve())
      }),
  }
}
