/** The container client against the simulator: real processes, a real pty, real HTTP. */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ContainerError, attachTask, launchSession, startSession } from '../../src/core/container/index.js'
import { HttpClient } from '../../src/core/http/client.js'
import type { Endpoint } from '../../src/core/http/endpoint.js'
import { type Simulator, startSimulator } from '../../src/sim/index.js'

let sim: Simulator
let http: HttpClient
let agent: Endpoint
let parentContainerId: { value: string }

const endpointOf = (s: Simulator, agentId: string): Endpoint => {
  const a = s.agents.find((x) => x.id === agentId)!
  return { role: 'agent', scheme: 'http', host: a.host, port: a.port }
}

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'hello', logIntervalMs: 0 })
  http = new HttpClient({ timeoutSec: 10 })
  const t = sim.task('hello-1')
  agent = endpointOf(sim, t.agentId)
  parentContainerId = { value: t.containerId }
})
afterAll(async () => {
  await http.close()
  await sim.stop()
})

function collect() {
  const out: Buffer[] = []
  const err: Buffer[] = []
  return {
    onStdout: (b: Buffer) => out.push(b),
    onStderr: (b: Buffer) => err.push(b),
    stdout: () => Buffer.concat(out),
    stderr: () => Buffer.concat(err),
  }
}

async function until(cond: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  return cond()
}

describe('launchSession', () => {
  it('relays stdout and stderr apart, byte-exact, and maps the exit code', async () => {
    const c = collect()
    const r = await launchSession({ http, agent, parentContainerId, command: ['sh', '-c', 'printf "\\000\\377"; echo e >&2; exit 7'], ...c })
    expect(c.stdout()).toEqual(Buffer.from([0, 255]))
    expect(c.stderr().toString()).toBe('e\n')
    expect([r.exitStatus, r.exitCode]).toEqual([7 << 8, 7])
  })

  it('a signal is 128 + N', async () => {
    const r = await launchSession({ http, agent, parentContainerId, command: ['sh', '-c', 'kill -KILL $$'], ...collect() })
    expect([r.exitStatus, r.exitCode]).toEqual([9, 137])
  })

  it('5 MiB of binary output arrive intact', async () => {
    const c = collect()
    await launchSession({ http, agent, parentContainerId, command: ['sh', '-c', 'head -c 5242880 /dev/urandom > big && cat big'], ...c })
    const file = readFileSync(join(sim.sandboxPath('hello-1'), 'big'))
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
    expect(sha(c.stdout())).toBe(sha(file))
  })

  it('forwards stdin and its end (EOF)', async () => {
    const stdin = new PassThrough()
    const c = collect()
    const done = launchSession({ http, agent, parentContainerId, command: ['wc', '-c'], stdin, ...c })
    stdin.write(Buffer.alloc(100_000, 7))
    stdin.end()
    const r = await done
    expect(c.stdout().toString().trim()).toBe('100000')
    expect(r.exitCode).toBe(0)
  })

  it('with a TTY: a terminal sized at start and on resize', async () => {
    const stdin = new PassThrough()
    const c = collect()
    const s = startSession({
      http,
      agent,
      parentContainerId,
      command: ['sh', '-c', 'tty; stty size; read x; stty size'],
      tty: { rows: 30, columns: 90 },
      stdin,
      ...c,
    })
    expect(await until(() => c.stdout().toString().includes('30 90'))).toBe(true)
    s.resize({ rows: 41, columns: 132 })
    stdin.write('\n')
    const r = await s.done
    expect(c.stdout().toString()).toMatch(/^\/dev\/pts\/\d+\r\n30 90\r\n\r\n41 132\r\n$/)
    expect(r.exitCode).toBe(0)
  })

  it('aborting destroys the remote process group and rejects with the reason', async () => {
    const abort = new AbortController()
    const c = collect()
    const s = startSession({ http, agent, parentContainerId, command: ['sh', '-c', 'echo $$; sleep 300'], signal: abort.signal, ...c })
    expect(await until(() => c.stdout().length > 0)).toBe(true)
    const pgid = Number(c.stdout().toString().trim())
    abort.abort(new Error('interrupted'))
    await expect(s.done).rejects.toThrow('interrupted')
    const alive = () => {
      try {
        process.kill(-pgid, 0)
        return true
      } catch {
        return false
      }
    }
    expect(await until(() => !alive())).toBe(true)
  })

  it('a task that is no longer running: ContainerError not-running', async () => {
    const done = sim.task('hello-once')
    const err = await launchSession({
      http,
      agent: endpointOf(sim, done.agentId),
      parentContainerId: { value: done.containerId },
      command: ['true'],
      ...collect(),
    }).catch((e: ContainerError) => e)
    expect((err as ContainerError).reason).toBe('not-running')
  })
})

describe('attachTask', () => {
  it('a task without a TTY: ContainerError no-tty', async () => {
    const err = await attachTask({ http, agent, containerId: parentContainerId, onStdout: () => {} }).done.catch((e: ContainerError) => e)
    expect((err as ContainerError).reason).toBe('no-tty')
  })

  it('attaches to a TTY task: input reaches it, output comes back; aborting detaches without ending the task', async () => {
    const s2 = await startSimulator({
      scenario: { name: 'tty', agents: 1, frameworks: [{ name: 'f', tasks: [{ id: 'console', tty: true, command: 'cat' }] }] },
      logIntervalMs: 0,
    })
    try {
      const t = s2.task('console')
      const stdin = new PassThrough()
      const abort = new AbortController()
      const c = collect()
      const a = attachTask({
        http,
        agent: endpointOf(s2, t.agentId),
        containerId: { value: t.containerId },
        tty: { rows: 20, columns: 70 },
        stdin,
        signal: abort.signal,
        ...c,
      })
      stdin.write('ping\n')
      expect(await until(() => c.stdout().toString() === 'ping\r\nping\r\n')).toBe(true)
      abort.abort(new Error('detached'))
      await expect(a.done).rejects.toThrow('detached')
      expect(s2.task('console').state).toBe('TASK_RUNNING')
    } finally {
      await s2.stop()
    }
  })

  it('403 and 401 are ContainerErrors', async () => {
    const s3 = await startSimulator({
      scenario: 'hello',
      logIntervalMs: 0,
      auth: { principal: 'ops', secret: 'x', principals: { guest: 'g' }, acls: { launch_nested_container_sessions: ['ops'] } },
    })
    try {
      const t = s3.task('hello-1')
      const run = (principal: string, secret: string) => {
        const client = new HttpClient({ timeoutSec: 5, principal, secret, plainCredentials: true })
        return launchSession({ http: client, agent: endpointOf(s3, t.agentId), parentContainerId: { value: t.containerId }, command: ['true'], ...collect() })
          .catch((e: ContainerError) => e.reason)
          .finally(() => client.close())
      }
      expect(await run('guest', 'g')).toBe('forbidden')
      expect(await run('ops', 'bad')).toBe('unauthorized')
      expect(((await run('ops', 'x')) as { exitCode: number }).exitCode).toBe(0)
    } finally {
      await s3.stop()
    }
  })
})
