/** Modes real clusters have: basic auth realms, https, and older versions (reference §0, §1.5, §2.1, §4, §6). */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { get, post, raw } from './http.js'

const basic = (user: string, pass: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` })

describe('HTTP basic authentication', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'hello', auth: { principal: 'ops', secret: 's3cret' }, logIntervalMs: 0 })
  })
  afterAll(() => sim.stop())

  it('401 with the realm of the endpoint', async () => {
    const m = sim.leader!.url
    const a = sim.agents[0]!.url
    const cases: Array<[string, string]> = [
      [`${m}/master/state`, 'mesos-master-readonly'],
      [`${m}/files/browse?path=/master/log`, 'mesos-master-readonly'],
      [`${m}/metrics/snapshot`, 'mesos-master-readonly'],
      [`${a}/state`, 'mesos-agent-readonly'],
      [`${a}/files/read?path=/slave/log`, 'mesos-agent-readonly'],
    ]
    for (const [url, realm] of cases) {
      const r = await get(url)
      expect(r.status, url).toBe(401)
      expect(r.headers['www-authenticate'], url).toBe(`Basic realm="${realm}"`)
      expect(r.text).toBe('401 Unauthorized.')
    }
    const v1 = await post(`${m}/api/v1`, { type: 'GET_HEALTH' })
    expect(v1.status).toBe(401)
    expect(v1.headers['www-authenticate']).toBe('Basic realm="mesos-master-readwrite"')
  })

  it('accepts the right credentials and refuses wrong ones', async () => {
    expect((await get(`${sim.leader!.url}/master/state`, basic('ops', 's3cret'))).status).toBe(200)
    expect((await get(`${sim.agents[0]!.url}/state`, basic('ops', 's3cret'))).status).toBe(200)
    expect((await get(`${sim.leader!.url}/master/state`, basic('ops', 'nope'))).status).toBe(401)
    expect((await get(`${sim.leader!.url}/master/state`, { Authorization: 'Bearer x' })).status).toBe(401)
  })

  it('never asks for health, redirect and version', async () => {
    const m = sim.leader!.url
    expect((await get(`${m}/master/health`)).status).toBe(200)
    expect((await get(`${m}/master/redirect`)).status).toBe(307)
    expect((await get(`${m}/version`)).status).toBe(200)
  })

  it('a secret containing ":" never authenticates', async () => {
    const s = await startSimulator({ scenario: 'hello', auth: { principal: 'ops', secret: 'a:b' }, logIntervalMs: 0 })
    try {
      expect((await get(`${s.leader!.url}/master/state`, basic('ops', 'a:b'))).status).toBe(401)
    } finally {
      await s.stop()
    }
  })

  it('authenticates only the configured realms', async () => {
    const s = await startSimulator({
      scenario: 'hello',
      auth: { principal: 'ops', secret: 'x', realms: ['mesos-master-readwrite'] },
      logIntervalMs: 0,
    })
    try {
      expect((await get(`${s.leader!.url}/master/state`)).status).toBe(200)
      expect((await post(`${s.leader!.url}/api/v1`, { type: 'GET_HEALTH' })).status).toBe(401)
    } finally {
      await s.stop()
    }
  })
})

describe('https', () => {
  it('serves TLS with a self-signed certificate for 127.0.0.1 and keeps redirects protocol-relative', async () => {
    const sim = await startSimulator({ scenario: 'hello', https: true, masters: 2, logIntervalMs: 0 })
    try {
      expect(sim.leader!.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      const ca = readFileSync(sim.caFile!, 'utf8')
      const r = await raw(`${sim.leader!.url}/master/state`, { ca })
      expect(r.status).toBe(200)
      expect((await raw(`${sim.agents[0]!.url}/state`, { ca })).status).toBe(200)
      const f = sim.masters.find((m) => m.index !== sim.leader!.index)!
      const red = await raw(`${f.url}/master/redirect`, { ca })
      expect(red.headers.location).toBe(`//${sim.leader!.address}`)
      await expect(raw(`${sim.leader!.url}/master/state`)).rejects.toThrow()
      await expect(raw(`http://${sim.leader!.address}/master/state`)).rejects.toThrow()
    } finally {
      await sim.stop()
    }
  })
})

describe('Mesos 1.7', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'hello', version: '1.7.0', logIntervalMs: 0 })
  })
  afterAll(() => sim.stop())

  it('serves the .json aliases next to the plain routes', async () => {
    const m = sim.leader!.url
    const a = sim.agents[0]!.url
    for (const url of [`${m}/master/state.json`, `${m}/master/tasks.json`, `${m}/master/state`, `${a}/slave(1)/state.json`, `${a}/state.json`, `${a}/monitor/statistics.json`, `${m}/files/read.json?path=/master/log`])
      expect((await get(url)).status, url).toBe(200)
    expect((await get(`${m}/version`)).json().version).toBe('1.7.0')
  })

  it('already writes doubles with RapidJSON (1.0, no escaped /)', async () => {
    const t = (await get(`${sim.leader!.url}/master/state`)).text
    expect(t).toMatch(/"activated_slaves":2\.0/)
    expect(t).toContain('"log_dir":"/')
  })
})

describe('Mesos 0.28', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'hello', version: '0.28.0', masters: 2, logIntervalMs: 0 })
  })
  afterAll(() => sim.stop())

  it('a follower answers /master/state with its own empty state naming the leader', async () => {
    const f = sim.masters.find((m) => m.index !== sim.leader!.index)!
    for (const path of ['/master/state', '/master/state.json']) {
      const r = await get(`${f.url}${path}`)
      expect(r.status).toBe(200)
      const s = r.json()
      expect(s.pid).toBe(f.pid)
      expect(s.leader).toBe(sim.leader!.pid)
      expect(s.frameworks).toEqual([])
      expect(s.slaves).toEqual([])
    }
  })

  it('uses stout’s writer: escaped slashes and %g doubles', async () => {
    const t = (await get(`${sim.leader!.url}/master/state`)).text
    expect(t).toContain('"log_dir":"\\/')
    expect(t).toMatch(/"activated_slaves":2\.0/)
    const stamps = [...t.matchAll(/"timestamp":([0-9.eE+-]+)/g)].map((m) => m[1])
    expect(stamps.length).toBeGreaterThan(3)
    // 15 significant digits at most, and a '.0' kept
    for (const s of stamps) expect(s).toMatch(/^\d{10}\.\d{1,5}$/)
  })

  it('/files/read past EOF answers the file size; no /frameworks virtual path; no /api/v1', async () => {
    const t = sim.task('hello-1')
    const a = sim.agents.find((x) => x.id === t.agentId)!.url
    const stdout = `${t.executor.directory}/stdout`
    const size = (await get(`${a}/files/read?path=${encodeURIComponent(stdout)}`)).json().offset
    const r = (await get(`${a}/files/read?path=${encodeURIComponent(stdout)}&offset=${size + 100}`)).json()
    expect(r.offset).toBe(size)
    const virt = `/frameworks/${t.frameworkId}/executors/${t.id}/runs/latest/stdout`
    expect((await get(`${a}/files/read?path=${encodeURIComponent(virt)}`)).status).toBe(404)
    expect((await post(`${sim.leader!.url}/api/v1`, { type: 'GET_HEALTH' })).status).toBe(404)
  })

  it('/master/redirect falls back to the answering master without a leader', async () => {
    sim.noLeader()
    try {
      const m = sim.masters[1]!
      const r = await get(`${m.url}/master/redirect`)
      expect(r.status).toBe(307)
      expect(r.headers.location).toBe(`//${m.address}`)
    } finally {
      await sim.failover()
    }
  })
})
