/**
 * The HTTP client and leader resolution over real loopback HTTP(S): redirects, 503, 401, the
 * pre-1.8 `.json` fallback, timeouts, TLS with a self-signed certificate, and debug logging.
 */
import { leaderKey } from '../../src/core/cache/keys.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { masterState } from '../../src/core/cluster/state.js'
import { createDeps, type Deps } from '../../src/core/deps/index.js'
import { MesosError } from '../../src/core/errors.js'
import { HttpClient } from '../../src/core/http/client.js'
import type { Endpoint } from '../../src/core/http/endpoint.js'
import { resolveLeader } from '../../src/core/master/resolve.js'
import { json, selfSignedCert, startServer, type TestServer } from '../helpers/http-server.js'
import { captureIO } from '../helpers/io.js'
import { refusedPort } from '../helpers/ports.js'

const servers: TestServer[] = []
const clients: HttpClient[] = []
let scratch: string

async function server(tls?: { key: Buffer; cert: Buffer }) {
  const s = await startServer(tls)
  servers.push(s)
  return s
}
function client(opts: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  const c = new HttpClient({ timeoutSec: 2, ...opts })
  clients.push(c)
  return c
}
const master = (s: TestServer, scheme: 'http' | 'https' = 'http'): Endpoint => ({
  role: 'master',
  scheme,
  host: '127.0.0.1',
  port: s.port,
})

async function caught(p: Promise<unknown>): Promise<MesosError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(MesosError)
  return err as MesosError
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mesos-http-'))
})
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

describe('leader resolution through /master/redirect', () => {
  it('follows a 307 to //host:port and keeps the scheme', async () => {
    const follower = await server(selfSignedCert())
    follower.route('/master/redirect', (_req, res) => {
      res.writeHead(307, { location: '//127.0.0.1:6060' })
      res.end()
    })
    const leader = await resolveLeader(follower.address, {
      http: client({ insecure: true }),
      scheme: 'https',
      zkTimeoutSec: 1,
    })
    expect(leader).toEqual({ scheme: 'https', host: '127.0.0.1', port: 6060, prefix: '', source: 'redirect' })
  })

  it('accepts the absolute Location of 0.22 masters', async () => {
    const old = await server()
    old.route('/master/redirect', (_req, res) => {
      res.writeHead(307, { location: 'http://10.1.1.1:5050' })
      res.end()
    })
    const leader = await resolveLeader(`http://${old.address}`, {
      http: client(),
      scheme: 'http',
      zkTimeoutSec: 1,
    })
    expect(leader).toMatchObject({ host: '10.1.1.1', port: 5050, source: 'redirect' })
  })

  it('turns 503 into "no leader elected" (exit 4)', async () => {
    const m = await server()
    m.route('/master/redirect', (_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
      res.end('No leader elected')
    })
    const err = await caught(resolveLeader(m.address, { http: client(), scheme: 'http', zkTimeoutSec: 1 }))
    expect(err.kind).toBe('master')
    expect(err.message).toBe(`no leader elected: master ${m.address} answered 503 No leader elected`)
  })

  it('uses a master too old to redirect (404) as given', async () => {
    const m = await server()
    const leader = await resolveLeader(`master@${m.address}`, {
      http: client(),
      scheme: 'http',
      zkTimeoutSec: 1,
    })
    expect(leader).toEqual({ scheme: 'http', host: '127.0.0.1', port: m.port, prefix: '', source: 'static' })
  })

  it('says a master that is not there refuses connections (exit 4)', async () => {
    const port = await refusedPort()
    const err = await caught(
      resolveLeader(`127.0.0.1:${port}`, { http: client(), scheme: 'http', zkTimeoutSec: 1 }),
    )
    expect(err.kind).toBe('master')
    expect(err.message).toBe(`cannot reach master 127.0.0.1:${port}: connection refused`)
  })

  it('reads file:// specs, nested, and refuses loops', async () => {
    const { writeFile } = await import('node:fs/promises')
    const m = await server()
    const inner = join(scratch, 'inner')
    const outer = join(scratch, 'outer')
    await writeFile(inner, `  ${m.address}\n`)
    await writeFile(outer, `file://${inner}\n`)
    const leader = await resolveLeader(`file://${outer}`, { http: client(), scheme: 'http', zkTimeoutSec: 1 })
    expect(leader).toMatchObject({ host: '127.0.0.1', port: m.port, source: 'static' })

    const a = join(scratch, 'a')
    const b = join(scratch, 'b')
    await writeFile(a, `file://${b}`)
    await writeFile(b, `file://${a}`)
    const err = await caught(
      resolveLeader(`file://${a}`, { http: client(), scheme: 'http', zkTimeoutSec: 1 }),
    )
    expect(err.kind).toBe('master')
    expect(err.message).toMatch(/^master spec files loop: /)
    const missing = await caught(
      resolveLeader(`file://${scratch}/nope`, { http: client(), scheme: 'http', zkTimeoutSec: 1 }),
    )
    expect(missing.message).toBe(`cannot read master spec file ${scratch}/nope: no such file`)
  })
})

describe('HTTP client', () => {
  it('sends basic credentials and explains a 401', async () => {
    const m = await server()
    m.route('/master/state', (req, res) => {
      const expected = `Basic ${Buffer.from('ops:pw').toString('base64')}`
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="mesos-master-readonly"' })
        res.end('401 Unauthorized.')
        return
      }
      json(res, 200, { ok: 1 })
    })
    const err = await caught(client().getJson(master(m), '/master/state'))
    expect(err.kind).toBe('failure')
    expect(err.message).toBe(
      `401 from master ${m.address} for GET /master/state: set principal/secret (mesos config principal ...; mesos config secret ...)`,
    )
    expect(await client({ principal: 'ops', secret: 'pw', plainCredentials: true }).getJson(master(m), '/master/state')).toEqual({
      ok: 1,
    })
  })

  it('sends a bearer token and names it in a Bearer 401', async () => {
    const m = await server()
    m.route('/x', (req, res) => {
      if (req.headers.authorization === 'Bearer tok') return json(res, 200, [1])
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="mesos-master-readonly"' })
      res.end()
    })
    expect((await caught(client().getJson(master(m), '/x'))).message).toMatch(/: set token/)
    expect(await client({ token: 'tok', plainCredentials: true }).getJson(master(m), '/x')).toEqual([1])
  })

  it('falls back to the .json route on 404 (pre-1.8 masters), keeping the query', async () => {
    const m = await server()
    m.route('/master/tasks.json', (req, res) => json(res, 200, { tasks: [], url: req.url }))
    const body = await client().getJson<{ url: string }>(master(m), '/master/tasks', { query: { limit: 5 } })
    expect(body.url).toBe('/master/tasks.json?limit=5')
    expect(m.requests.map((r) => r.url)).toEqual(['/master/tasks?limit=5', '/master/tasks.json?limit=5'])
  })

  it('reports a 404 on both spellings with the original path', async () => {
    const m = await server()
    const err = await caught(client().getJson(master(m), '/master/nothing'))
    expect(err.message).toBe(`master ${m.address} answered 404 for GET /master/nothing`)
  })

  it('gives up on a silent server after response_timeout', async () => {
    const m = await server()
    m.route('/slow', () => {})
    const started = Date.now()
    const err = await caught(client({ timeoutSec: 0.5 }).getJson(master(m), '/slow'))
    expect(err.kind).toBe('master')
    expect(err.message).toBe(`master ${m.address} did not answer within 0.5s`)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('errors from agents are failures (exit 1), not master errors', async () => {
    const port = await refusedPort()
    const err = await caught(
      client().getJson({ role: 'agent', scheme: 'http', host: '127.0.0.1', port }, '/state'),
    )
    expect(err.kind).toBe('failure')
    expect(err.message).toBe(`cannot reach agent 127.0.0.1:${port}: connection refused`)
  })

  it('logs requests with --debug and never the credentials', async () => {
    const m = await server()
    m.route('/version', (_req, res) => json(res, 200, { version: '1.11.0' }))
    const lines: string[] = []
    await client({ principal: 'ops', secret: 'hunter2', plainCredentials: true, debug: (l) => lines.push(l) }).getJson(
      master(m),
      '/version',
    )
    expect(lines[0]).toBe(`> GET http://${m.address}/version`)
    expect(lines[1]).toMatch(new RegExp(`^< 200 GET http://${m.address}/version \\(\\d+ ms\\)$`))
    expect(lines.join('\n')).not.toMatch(/hunter2|b3BzOmh1bnRlcjI/)
  })
})

describe('TLS', () => {
  let tls: ReturnType<typeof selfSignedCert>
  beforeAll(() => {
    tls = selfSignedCert()
  })

  it('rejects a self-signed certificate by default', async () => {
    const m = await server(tls)
    m.route('/version', (_req, res) => json(res, 200, { version: '1.11.0' }))
    const err = await caught(client().getJson(master(m, 'https'), '/version'))
    expect(err.kind).toBe('master')
    expect(err.message).toBe(`TLS certificate of master ${m.address} not trusted: self-signed certificate`)
    expect(err.hints[0]).toMatch(/ca_file/)
  })

  it('accepts it with ca_file', async () => {
    const m = await server(tls)
    m.route('/version', (_req, res) => json(res, 200, { version: '1.11.0' }))
    expect(await client({ caFile: tls.certFile }).getJson(master(m, 'https'), '/version')).toEqual({
      version: '1.11.0',
    })
  })

  it('accepts it with insecure, warning once', async () => {
    const m = await server(tls)
    m.route('/version', (_req, res) => json(res, 200, { version: '1.11.0' }))
    const warnings: string[] = []
    const c = client({ insecure: true, warn: (w) => warnings.push(w) })
    await c.getJson(master(m, 'https'), '/version')
    await c.getJson(master(m, 'https'), '/version')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/verification is off/)
  })

  it('says a missing ca_file is a usage problem', async () => {
    const m = await server(tls)
    const err = await caught(
      client({ caFile: '/nonexistent/ca.pem' }).getJson(master(m, 'https'), '/version'),
    )
    expect(err.kind).toBe('usage')
    expect(err.message).toBe('cannot read ca_file /nonexistent/ca.pem: ENOENT')
  })
})

describe('master client', () => {
  async function deps(masterSpec: string): Promise<Deps> {
    const { io } = await captureIO()
    return createDeps({
      io,
      master: masterSpec,
      env: { MESOS_CLI_CONFIG: join(scratch, 'none.json'), MESOS_CLI_CACHE_DIR: join(scratch, 'cache') },
      cwd: scratch,
      home: scratch,
    })
  }

  it('follows a leader-only 307 from a follower to the leader', async () => {
    const leader = await server()
    const follower = await server()
    for (const m of [leader, follower]) {
      m.route('/master/redirect', (_req, res) => {
        res.writeHead(307, { location: `//${follower.address}` }) // a stale answer: points at the follower
        res.end()
      })
    }
    follower.route('/master/state', (_req, res) => {
      res.writeHead(307, { location: `//${leader.address}/master/state` })
      res.end()
    })
    leader.route('/master/state', (_req, res) =>
      json(res, 200, { pid: `master@${leader.address}`, leader: `master@${leader.address}` }),
    )
    const d = await deps(follower.address)
    const state = await masterState(d)
    expect(state.value).toMatchObject({ pid: `master@${leader.address}` })
    expect(leader.requests.map((r) => r.url)).toEqual(['/master/state'])
    await d.close()
  })

  it('asks the real leader when a pre-1.0 follower answers with its own state', async () => {
    const leader = await server()
    const follower = await server()
    follower.route('/master/state', (_req, res) =>
      json(res, 200, {
        pid: `master@${follower.address}`,
        leader: `master@${leader.address}`,
        frameworks: [],
      }),
    )
    leader.route('/master/redirect', (_req, res) => {
      res.writeHead(307, { location: `//${leader.address}` })
      res.end()
    })
    leader.route('/master/state', (_req, res) =>
      json(res, 200, {
        pid: `master@${leader.address}`,
        leader: `master@${leader.address}`,
        frameworks: [{ id: 'leader-framework' }],
      }),
    )
    // 0.28 masters have no usable redirect here: the spec is used as given (404 from the follower)
    const d = await deps(follower.address)
    const cache = d.cache()
    await cache.set(leaderKey(follower.address, 'http'), {
      scheme: 'http',
      host: '127.0.0.1',
      port: follower.port,
      prefix: '',
      source: 'static',
    })
    const state = await masterState(d)
    expect(state.value).toMatchObject({ frameworks: [{ id: 'leader-framework' }] })
    await d.close()
  })

  it('re-resolves when the cached leader is gone', async () => {
    const leader = await server()
    leader.route('/master/redirect', (_req, res) => {
      res.writeHead(307, { location: `//${leader.address}` })
      res.end()
    })
    leader.route('/master/state', (_req, res) => json(res, 200, { pid: 'x', leader: 'x', ok: true }))
    const d = await deps(leader.address)
    const gone = await refusedPort()
    await d.cache().set(leaderKey(leader.address, 'http'), {
      scheme: 'http',
      host: '127.0.0.1',
      port: gone,
      prefix: '',
      source: 'redirect',
    })
    expect((await masterState(d)).value).toMatchObject({ ok: true })
    expect(leader.requests.map((r) => r.url)).toEqual(['/master/redirect', '/master/state'])
    await d.close()
  })
})
