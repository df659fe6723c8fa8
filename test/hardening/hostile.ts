/**
 * Hostile things for the hardening tests, all real and on loopback: a plaintext listener that
 * records every byte sent to it, a master that trickles its answer, a fake master serving chosen
 * bodies, and a tiny /master/state with one running task.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cleanEnv, type CliResult, runCli } from '../helpers/cli.js'
import { json, startServer, type TestServer } from '../helpers/http-server.js'

export interface Listener {
  port: number
  /** Everything received so far, from every connection. */
  received(): Buffer
  connections(): number
  close(): Promise<void>
}

async function listen(server: Server, sockets: Set<Socket>): Promise<number> {
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as { port: number }).port
}

function closer(server: Server, sockets: Set<Socket>) {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    })
}

/** A plaintext TCP listener that answers nothing useful and records every byte it is sent. */
export async function captureListener(): Promise<Listener> {
  const chunks: Buffer[] = []
  let count = 0
  const sockets = new Set<Socket>()
  const server = createServer((s) => {
    count++
    s.on('data', (c: Buffer) => {
      chunks.push(c)
      s.destroy()
    })
    s.on('error', () => {})
  })
  const port = await listen(server, sockets)
  return { port, received: () => Buffer.concat(chunks), connections: () => count, close: closer(server, sockets) }
}

/** An HTTP server that sends its headers at once and then its body one byte per `everyMs`. */
export async function trickleServer(body: string, everyMs = 1000): Promise<Listener> {
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let count = 0
  const server = createServer((s) => {
    count++
    s.on('error', () => {})
    s.once('data', () => {
      s.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`)
      let i = 0
      const t = setInterval(() => {
        if (i >= body.length || s.destroyed) {
          clearInterval(t)
          return
        }
        s.write(body[i++]!)
      }, everyMs)
      timers.add(t)
    })
  })
  const port = await listen(server, sockets)
  const close = closer(server, sockets)
  return {
    port,
    received: () => Buffer.alloc(0),
    connections: () => count,
    close: () => {
      for (const t of timers) clearInterval(t)
      return close()
    },
  }
}

/** A master whose routes answer fixed bodies (a string is sent as is, anything else as JSON). */
export async function fakeMaster(
  routes: Record<string, unknown>,
  tls?: { key: Buffer; cert: Buffer },
): Promise<TestServer> {
  const m = await startServer(tls)
  for (const [path, body] of Object.entries(routes)) {
    m.route(path, (_req, res) => json(res, 200, body))
  }
  return m
}

/** A v0 /master/state with one running command task on one agent at `agentPort`. */
export function oneTaskState(agentPort: number): Record<string, unknown> {
  return {
    pid: 'master@127.0.0.1:5050',
    slaves: [{ id: 'agent-1', hostname: '127.0.0.1', pid: `slave(1)@127.0.0.1:${agentPort}`, active: true, version: '1.11.0' }],
    frameworks: [
      {
        id: 'fw-1',
        name: 'marathon',
        user: 'root',
        hostname: 'h',
        active: true,
        tasks: [
          {
            id: 'web.1',
            name: 'web',
            state: 'TASK_RUNNING',
            framework_id: 'fw-1',
            executor_id: '',
            slave_id: 'agent-1',
            statuses: [{ state: 'TASK_RUNNING', timestamp: 1 }],
          },
        ],
        executors: [],
        completed_tasks: [],
      },
    ],
    completed_frameworks: [],
  }
}

/** A scratch home with a config file, and a runner that uses it. */
export function scratchHome(config?: unknown): { home: string; config: string; env: (extra?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv } {
  const home = mkdtempSync(join(tmpdir(), 'mesos-hard-'))
  const file = join(home, '.mesos.json')
  if (config !== undefined) writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config, null, 2), { mode: 0o600 })
  return { home, config: file, env: (extra = {}) => cleanEnv(home, { MESOS_CLI_CONFIG: file, ...extra }) }
}

export function run(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<CliResult> {
  return runCli(args, { env, cwd: env.HOME, timeoutMs })
}

/** The checks every bad-input case makes: one `mesos:` line (plus hints), no stack, no warning. */
export function oneLineError(stderr: string): string | undefined {
  const lines = stderr.split('\n').filter((l) => l !== '')
  const errors = lines.filter((l) => l.startsWith('mesos: ') && !l.startsWith('mesos: warning:'))
  if (errors.length !== 1) return `expected one error line, got ${JSON.stringify(lines)}`
  const other = lines.filter((l) => !l.startsWith('mesos: ') && !l.startsWith('hint: ') && !l.startsWith('  '))
  if (other.length) return `unexpected lines ${JSON.stringify(other)}`
  if (/\n\s+at |TypeError|ReferenceError|Warning:|\(node:\d+\)/.test(stderr)) return `internals shown: ${stderr}`
  return undefined
}
