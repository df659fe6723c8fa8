/** Leader discovery over HTTP: reference §1.5 and checklist §8 item 2. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { get, post } from './http.js'

let sim: Simulator

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'hello', masters: 3, seed: 1, logIntervalMs: 0 })
})
afterAll(() => sim.stop())

const follower = () => sim.masters.find((m) => m.index !== sim.leader!.index)!

describe('/master/redirect', () => {
  it('redirects even on the leader, to itself, with a protocol-relative bare Location', async () => {
    const l = sim.leader!
    for (const path of ['/master/redirect', '/redirect']) {
      const r = await get(`${l.url}${path}`)
      expect(r.status).toBe(307)
      expect(r.headers.location).toBe(`//${l.host}:${l.port}`)
    }
  })

  it('on a follower points at the leader', async () => {
    const r = await get(`${follower().url}/master/redirect?x=1`)
    expect(r.status).toBe(307)
    expect(r.headers.location).toBe(`//${sim.leader!.address}`)
  })

  it('is 404 for anything under /redirect/', async () => {
    expect((await get(`${sim.leader!.url}/master/redirect/foo`)).status).toBe(404)
    expect((await get(`${follower().url}/redirect/master/state`)).status).toBe(404)
  })
})

describe('leader-only endpoints on a follower', () => {
  it('answer 307 to //leader/master/<path>?<query>, after delegation', async () => {
    const f = follower()
    const cases: Array<[string, string]> = [
      ['/master/state', '/master/state'],
      ['/state', '/master/state'],
      ['/master/tasks?limit=5&order=asc', '/master/tasks?limit=5&order=asc'],
      ['/tasks?task_id=x', '/master/tasks?task_id=x'],
      ['/master/state-summary', '/master/state-summary'],
      ['/master/frameworks', '/master/frameworks'],
      ['/master/slaves', '/master/slaves'],
      ['/master/roles', '/master/roles'],
    ]
    for (const [path, to] of cases) {
      const r = await get(`${f.url}${path}`)
      expect(r.status, path).toBe(307)
      expect(r.headers.location, path).toBe(`//${sim.leader!.address}${to}`)
    }
  })

  it('redirect /api/v1 too', async () => {
    const r = await post(`${follower().url}/api/v1`, { type: 'GET_HEALTH' })
    expect(r.status).toBe(307)
    expect(r.headers.location).toBe(`//${sim.leader!.address}/master/api/v1`)
  })

  it('but /master/health, /master/flags, /version and /metrics/snapshot answer on any master', async () => {
    const f = follower()
    expect((await get(`${f.url}/master/health`)).status).toBe(200)
    expect((await get(`${f.url}/master/flags`)).status).toBe(200)
    expect((await get(`${f.url}/version`)).status).toBe(200)
    const m = await get(`${f.url}/metrics/snapshot`)
    expect(m.json()['master/elected']).toBe(0)
  })
})

describe('failover and no leader', () => {
  it('failover moves the leadership; the old leader now redirects', async () => {
    const old = sim.leader!
    const next = await sim.failover()
    expect(next.index).not.toBe(old.index)
    const r = await get(`${old.url}/master/state`)
    expect(r.status).toBe(307)
    expect(r.headers.location).toBe(`//${next.address}/master/state`)
    const s = (await get(`${next.url}/master/state`)).json()
    expect(s.leader).toBe(next.pid)
    expect(s.elected_time).toBeGreaterThan(0)
  })

  it('with no leader: 503 "No leader elected" from /redirect and leader-only endpoints', async () => {
    sim.noLeader()
    try {
      for (const m of sim.masters) {
        const r = await get(`${m.url}/master/redirect`)
        expect(r.status).toBe(503)
        expect(r.text).toBe('No leader elected')
        expect((await get(`${m.url}/master/state`)).status).toBe(503)
      }
    } finally {
      await sim.failover()
    }
    expect(sim.leader).toBeDefined()
  })
})
