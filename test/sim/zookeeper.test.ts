/** Leader election in a real ZooKeeper: reference §1.2–1.4 and checklist §8 item 1. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator } from '../../src/sim/index.js'
import { startZooKeeper, ZK_HOOK_MS, type ZkServer, zkConnect } from '../helpers/zookeeper.js'
import { type J, get } from './http.js'

let zk: ZkServer
let client: Awaited<ReturnType<typeof zkConnect>>

beforeAll(async () => {
  zk = await startZooKeeper()
  client = await zkConnect(zk.connectString)
}, ZK_HOOK_MS)
afterAll(async () => {
  client?.close()
  await zk?.stop()
})

const data = (path: string) =>
  new Promise<Buffer>((res, rej) => client.client.getData(path, (e, d) => (e ? rej(e) : res(d))))
const exists = (path: string) =>
  new Promise<boolean>((res, rej) => client.client.exists(path, (e, s) => (e ? rej(e) : res(Boolean(s)))))
const sorted = (names: string[]) => [...names].sort((a, b) => Number(a.split('_').pop()) - Number(b.split('_').pop()))

describe('ZooKeeper registration', () => {
  it('registers each master as json.info_<10 digits> with compact, key-sorted MasterInfo; the lowest leads', async () => {
    const sim = await startSimulator({ scenario: 'hello', masters: 3, zk: `zk://${zk.connectString}/mesos`, logIntervalMs: 0 })
    try {
      const names = sorted(await client.children('/mesos'))
      expect(names.length).toBe(3)
      for (const n of names) expect(n).toMatch(/^json\.info_\d{10}$/)
      const text = (await data(`/mesos/${names[0]}`)).toString('utf8')
      const info = JSON.parse(text)
      expect(text).toBe(JSON.stringify(info))
      const keysSorted = (o: J): boolean =>
        typeof o !== 'object' || o === null || Array.isArray(o)
          ? !Array.isArray(o) || o.every(keysSorted)
          : Object.keys(o).join() === Object.keys(o).sort().join() && Object.values(o).every(keysSorted)
      expect(keysSorted(info)).toBe(true)
      expect(info.ip).toBe(16777343)
      expect(info.address).toEqual({ hostname: '127.0.0.1', ip: '127.0.0.1', port: info.port })
      expect(info.pid).toBe(`master@127.0.0.1:${info.port}`)
      expect(info.version).toBe('1.11.0')
      expect(info.capabilities).toEqual([{ type: 'AGENT_UPDATE' }, { type: 'AGENT_DRAINING' }, { type: 'QUOTA_V2' }])
      expect(sim.leader!.port).toBe(info.port)
      expect(sim.leader!.id).toBe(info.id)
      const r = await get(`${sim.masters.find((m) => m.port !== info.port)!.url}/master/redirect`)
      expect(r.headers.location).toBe(`//127.0.0.1:${info.port}`)
      expect(sim.masterSpec).toBe(`zk://${zk.connectString}/mesos`)
    } finally {
      await sim.stop()
    }
    expect(await exists('/mesos')).toBe(false)
  })

  it('failover closes the leader session: the next sequence leads and the old master re-joins last', async () => {
    const sim = await startSimulator({ scenario: 'hello', masters: 2, zk: `zk://${zk.connectString}/fo/mesos`, logIntervalMs: 0 })
    try {
      const before = sorted(await client.children('/fo/mesos'))
      const old = sim.leader!
      const next = await sim.failover()
      expect(next.index).not.toBe(old.index)
      const after = sorted(await client.children('/fo/mesos'))
      expect(after).not.toContain(before[0])
      expect(after[0]).toBe(before[1])
      expect(after.length).toBe(2)
      const lead = JSON.parse((await data(`/fo/mesos/${after[0]}`)).toString())
      expect(lead.port).toBe(next.port)
      const r = await get(`${old.url}/master/state`)
      expect(r.status).toBe(307)
      expect(r.headers.location).toBe(`//${next.address}/master/state`)
    } finally {
      await sim.stop()
    }
    expect(await exists('/fo')).toBe(false)
  })

  it('with digest credentials the nodes are readable by anyone and writable only by their creator', async () => {
    const sim = await startSimulator({ scenario: 'hello', zk: `zk://ops:pw@${zk.connectString}/secure/mesos`, logIntervalMs: 0 })
    try {
      const [name] = await client.children('/secure/mesos')
      const info = JSON.parse((await data(`/secure/mesos/${name}`)).toString())
      expect(info.port).toBe(sim.leader!.port)
      await expect(client.remove(`/secure/mesos/${name}`)).rejects.toThrow()
    } finally {
      await sim.stop()
    }
    expect(await exists('/secure')).toBe(false)
  })

  it('leaves a pre-existing group path and its other children alone on stop', async () => {
    await client.mkdirp('/shared/mesos/log_replicas')
    const sim = await startSimulator({ scenario: 'hello', zk: `zk://${zk.connectString}/shared/mesos`, logIntervalMs: 0 })
    try {
      expect((await client.children('/shared/mesos')).length).toBe(2)
      expect(sim.leader).toBeDefined()
    } finally {
      await sim.stop()
    }
    expect(await client.children('/shared/mesos')).toEqual(['log_replicas'])
  })
})
