/** The big documents written in pieces are the byte-exact writer's bytes, on the wire too. */
import { request } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { BUFFERED_MAX, pieces } from '../../src/sim/json-stream.js'
import { dbl, lazy, RawBytes, stringify, toBuffer } from '../../src/sim/json.js'
import * as views from '../../src/sim/master/views.js'
import { RecordReader } from '../../src/sim/recordio.js'
import { get, post } from './http.js'

const HOSTILE = ['ünï "q" \\ / \x01\x1f\x7f\t\n', '\u0000\u0001D1.0', '\u0000\u0001R0', '</script>', '日本\u2028x', '']

describe('pieces', () => {
  const doc = {
    a: dbl(1),
    list: lazy(
      HOSTILE.map((s, i) => ({ s, i })),
      (x) => ({ name: x.s, n: dbl(x.i / 3), inner: lazy([x.s], (y) => ({ y })), skip: undefined }),
      true,
    ),
    deep: { deeper: { items: lazy([1, 2, 3], (n) => ({ n, d: dbl(n) })), none: lazy([], (n) => n) } },
    raw: new RawBytes(Buffer.from([0xff, 0x00, 0x22])),
    empty: {},
    u: undefined,
    // object keys are the simulator's own (attributes, flags): none starts with the writer's markers
    keys: Object.fromEntries(HOSTILE.filter((s) => !s.startsWith('\u0000')).map((s, i) => [s, i])),
  }

  it('concatenate to the byte-exact writer’s bytes, in both JSON styles', () => {
    for (const legacy of [false, true]) {
      const streamed = Buffer.concat([...pieces(doc, { legacy })])
      expect(streamed).toEqual(Buffer.from(stringify(doc, { legacy }), 'latin1'))
      expect(streamed).toEqual(toBuffer(doc, { legacy }))
    }
  })

  it('render a lazy list element by element, not all at once', () => {
    let rendered = 0
    const it = pieces({ l: lazy([1, 2, 3, 4], (n) => (rendered++, { n })) }, { legacy: false })
    it.next()
    it.next()
    it.next()
    expect(rendered).toBe(1)
  })
})

describe('a big /master/state on the wire', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'scale', agents: 20, tasks: 15_000, frameworks: 3, seed: 3, logIntervalMs: 0 })
    for (const [i, name] of HOSTILE.entries()) sim.launchTask({ id: `hostile-${i}-${name}`, name, unchecked: true })
  }, 60_000)
  afterAll(() => sim?.stop())

  const expected = () => Buffer.from(stringify(views.state(sim.world, sim.world.masters[0]!)), 'latin1')

  it('is streamed (chunked, beyond the buffered size) with the same bytes as the byte-exact writer', async () => {
    const r = await get(`${sim.leader!.url}/master/state`)
    expect(r.status).toBe(200)
    expect(r.body.length).toBeGreaterThan(BUFFERED_MAX)
    expect(r.headers['transfer-encoding']).toBe('chunked')
    expect(r.headers['content-length']).toBeUndefined()
    expect(r.headers['content-type']).toBe('application/json')
    expect(r.body.equals(expected())).toBe(true)
  })

  it('gzipped and as JSONP, the same bytes', async () => {
    const z = await get(`${sim.leader!.url}/master/state`, { 'Accept-Encoding': 'gzip' })
    expect(z.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(z.body).equals(expected())).toBe(true)
    const p = await get(`${sim.leader!.url}/master/state?jsonp=cb`)
    expect(p.headers['content-type']).toBe('text/javascript')
    expect(p.body.equals(Buffer.concat([Buffer.from('cb('), expected(), Buffer.from(');')]))).toBe(true)
  })

  it('/master/tasks?limit=-1 and v1 GET_TASKS likewise', async () => {
    const q = new URLSearchParams('limit=-1')
    const t = await get(`${sim.leader!.url}/master/tasks?limit=-1`)
    expect(t.body.equals(Buffer.from(stringify(views.tasks(sim.world, q)), 'latin1'))).toBe(true)
    const v = await post(`${sim.leader!.url}/api/v1`, { type: 'GET_TASKS' })
    expect(v.status).toBe(200)
    const parsed = v.json()
    expect(parsed.get_tasks.tasks.length + parsed.get_tasks.completed_tasks.length).toBe(sim.activeTasks().length + 3 * 1000)
    expect(parsed.get_tasks.tasks.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(HOSTILE))
  })

  it('a small document keeps its Content-Length, as libprocess sends it', async () => {
    const r = await get(`${sim.leader!.url}/master/tasks?task_id=hostile-0-${encodeURIComponent(HOSTILE[0]!)}`)
    expect(r.headers['content-length']).toBe(String(r.body.length))
    expect(r.json().tasks.map((x: { name: string }) => x.name)).toEqual([HOSTILE[0]])
  })

  it('SUBSCRIBE frames a big SUBSCRIBED with its exact length, and events that happen meanwhile follow it', async () => {
    const api = sim.masterServers[0]!.api
    const expectedFirst = toBuffer({
      type: 'SUBSCRIBED',
      subscribed: { get_state: api.getState(), heartbeat_interval_seconds: dbl(sim.world.heartbeatMs / 1000) },
    })
    expect(expectedFirst.length).toBeGreaterThan(BUFFERED_MAX)
    const records: Buffer[] = []
    const reader = new RecordReader()
    const req = request(`${sim.leader!.url}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json' } })
    const done = new Promise<void>((resolve, reject) => {
      req.on('error', reject)
      req.on('response', (res) => {
        let launched = false
        res.on('data', (chunk: Buffer) => {
          records.push(...reader.push(chunk))
          // the first bytes are here and the rest of the record is not: an event now must wait behind it
          if (!launched) {
            launched = true
            expect(records.length).toBe(0)
            sim.launchTask({ id: 'late-during-subscribed' })
          }
          if (records.some((r) => r.includes('"TASK_ADDED"'))) {
            req.destroy()
            resolve()
          }
        })
      })
    })
    req.end(JSON.stringify({ type: 'SUBSCRIBE' }))
    await done
    expect(records[0]!.equals(expectedFirst)).toBe(true)
    // the reference's shape (mesos-http.md, SUBSCRIBE): get_state first, the heartbeat interval last
    expect(records[0]!.subarray(0, 48).toString()).toBe('{"type":"SUBSCRIBED","subscribed":{"get_state":{')
    expect(records[0]!.subarray(-64).toString()).toMatch(/\},"heartbeat_interval_seconds":\d+(\.\d+)?\}\}$/)
    const rest = records.slice(1).map((r) => JSON.parse(r.toString('utf8')))
    expect(rest[0]).toEqual({ type: 'HEARTBEAT' })
    expect(rest.find((e) => e.type === 'TASK_ADDED').task_added.task.task_id.value).toBe('late-during-subscribed')
  }, 60_000)
})
