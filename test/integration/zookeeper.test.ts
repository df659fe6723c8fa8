/**
 * Leader resolution against a real ZooKeeper server holding znodes written the way Mesos masters
 * write them (ephemeral sequential children of the group path).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MesosError } from '../../src/core/errors.js'
import { HttpClient } from '../../src/core/http/client.js'
import { ipToNetworkOrder } from '../../src/core/master/masterinfo.js'
import { resolveLeader } from '../../src/core/master/resolve.js'
import { parseMasterSpec, type ZkSpec } from '../../src/core/master/spec.js'
import { readZkLeader } from '../../src/core/master/zk.js'
import { refusedPort } from '../helpers/ports.js'
import { startZooKeeper, ZK_HOOK_MS, type ZkServer, zkConnect } from '../helpers/zookeeper.js'

let zk: ZkServer
let writer: Awaited<ReturnType<typeof zkConnect>>

/** Compact, key-sorted JSON MasterInfo as a 1.x master writes it. */
function masterInfo(ip: string, port: number, id: string): string {
  const info = {
    address: { hostname: `host-${id}`, ip, port },
    capabilities: [{ type: 'AGENT_UPDATE' }, { type: 'AGENT_DRAINING' }, { type: 'QUOTA_V2' }],
    hostname: `host-${id}`,
    id,
    ip: ipToNetworkOrder(ip),
    pid: `master@${ip}:${port}`,
    port,
    version: '1.11.0',
  }
  return JSON.stringify(info)
}

/** Binary MasterInfo of 0.17–0.23: id=1, ip=2, port=3, pid=4 (protobuf wire format). */
function binaryInfo(ip: string, port: number): Buffer {
  const str = (n: number, s: string) => [n * 8 + 2, Buffer.byteLength(s), ...Buffer.from(s)]
  const pid = `master@${ip}:${port}`
  return Buffer.from([...str(1, 'legacy-id'), ...str(4, pid)])
}

const spec = (path: string, auth = ''): ZkSpec =>
  parseMasterSpec(`zk://${auth}${zk.connectString}${path}`) as ZkSpec

beforeAll(async () => {
  zk = await startZooKeeper()
  writer = await zkConnect(zk.connectString)
}, ZK_HOOK_MS)

afterAll(async () => {
  writer?.close()
  await zk?.stop()
})

describe('ZooKeeper leader resolution', () => {
  it('picks the lowest sequence among several masters and ignores log_replicas', async () => {
    await writer.mkdirp('/mesos/log_replicas')
    const first = await writer.createMember('/mesos/json.info_', masterInfo('127.0.0.11', 5050, 'm1'))
    await writer.createMember('/mesos/json.info_', masterInfo('127.0.0.12', 5051, 'm2'))
    await writer.createMember('/mesos/json.info_', masterInfo('127.0.0.13', 5052, 'm3'))
    const leader = await readZkLeader(spec('/mesos'), { timeoutSec: 5 })
    expect(leader).toMatchObject({ host: '127.0.0.11', port: 5050, id: 'm1', version: '1.11.0', node: first })

    // failover: the leader's node goes away and the next oldest leads
    await writer.remove(first)
    expect(await readZkLeader(spec('/mesos'), { timeoutSec: 5 })).toMatchObject({
      host: '127.0.0.12',
      port: 5051,
      id: 'm2',
    })
  })

  it('resolves through resolveLeader with the profile scheme and zk source', async () => {
    const http = new HttpClient({ timeoutSec: 1 })
    const leader = await resolveLeader(`zk://${zk.connectString}/mesos`, {
      http,
      scheme: 'https',
      zkTimeoutSec: 5,
    })
    expect(leader).toMatchObject({
      scheme: 'https',
      host: '127.0.0.12',
      port: 5051,
      source: 'zk',
      hostname: 'host-m2',
    })
    await http.close()
  })

  it('reads legacy binary info_ and unlabeled nodes, lowest sequence first whatever the label', async () => {
    await writer.mkdirp('/legacy')
    await writer.createMember('/legacy/info_', binaryInfo('10.0.0.7', 5050))
    await writer.createMember('/legacy/json.info_', masterInfo('10.0.0.8', 5050, 'new'))
    expect(await readZkLeader(spec('/legacy'), { timeoutSec: 5 })).toMatchObject({
      host: '10.0.0.7',
      port: 5050,
      id: 'legacy-id',
    })

    await writer.mkdirp('/ancient')
    // pre-0.17 members had no label: the child name is the bare 10-digit sequence
    await writer.create('/ancient/0000000007', 'master@10.9.9.9:5050')
    await writer.create('/ancient/0000000008', 'master@10.9.9.10:5050')
    expect(await readZkLeader(spec('/ancient'), { timeoutSec: 5 })).toMatchObject({
      host: '10.9.9.9',
      port: 5050,
    })
  })

  it('reads a digest-protected node with credentials from the URL, and explains the refusal without', async () => {
    await writer.create('/secure', '', writer.digestAcl('ops:s3cret'))
    const owner = await zkConnect(zk.connectString, 'ops:s3cret')
    // the member node is ephemeral: the owner's session stays open for the test
    await owner.createMember(
      '/secure/json.info_',
      masterInfo('127.0.0.21', 5050, 'sec'),
      writer.digestAcl('ops:s3cret'),
    )

    const err = await readZkLeader(spec('/secure'), { timeoutSec: 5 }).catch((e) => e)
    expect(err).toBeInstanceOf(MesosError)
    expect(err.kind).toBe('master')
    expect(err.message).toMatch(/ZooKeeper denied reading \/secure/)
    expect(err.hints.join()).toMatch(/zk:\/\/user:password@/)

    expect(await readZkLeader(spec('/secure', 'ops:s3cret@'), { timeoutSec: 5 })).toMatchObject({
      host: '127.0.0.21',
    })
    owner.close()
  })

  it('says no masters are registered under an empty path', async () => {
    await writer.mkdirp('/empty/log_replicas')
    const err = await readZkLeader(spec('/empty'), { timeoutSec: 5 }).catch((e) => e)
    expect(err.kind).toBe('master')
    expect(err.message).toBe(`no masters registered under zk://${zk.connectString}/empty`)
  })

  it('says the path does not exist, suggesting /mesos', async () => {
    const err = await readZkLeader(spec('/mesoss'), { timeoutSec: 5 }).catch((e) => e)
    expect(err.kind).toBe('master')
    expect(err.message).toBe(`no ZooKeeper node /mesoss on ${zk.connectString}`)
    expect(err.hints).toEqual(['did you forget /mesos? (e.g. zk://host:2181/mesos)'])
  })

  it('reports undecodable leader data', async () => {
    await writer.mkdirp('/garbled')
    await writer.createMember('/garbled/json.info_', 'this is not json')
    const err = await readZkLeader(spec('/garbled'), { timeoutSec: 5 }).catch((e) => e)
    expect(err.message).toMatch(
      /^undecodable data in ZooKeeper node \/garbled\/json\.info_0000000000: not JSON/,
    )
  })

  it('gives up on a server that is not there within zk_timeout', async () => {
    const port = await refusedPort()
    const dead = parseMasterSpec(`zk://127.0.0.1:${port}/mesos`) as ZkSpec
    const started = Date.now()
    const err = await readZkLeader(dead, { timeoutSec: 1.5 }).catch((e) => e)
    const elapsed = Date.now() - started
    expect(err).toBeInstanceOf(MesosError)
    expect(err.kind).toBe('master')
    expect(err.message).toBe(`cannot connect to ZooKeeper 127.0.0.1:${port} within 1.5s`)
    expect(elapsed).toBeGreaterThanOrEqual(1400)
    expect(elapsed).toBeLessThan(2500)
  })
})
