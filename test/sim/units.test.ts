/** Pure pieces: Mesos' JSON writer, RecordIO, ZooKeeper naming, MasterInfo.ip, seeded IDs, sandbox paths. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Cluster } from '../../src/sim/cluster.js'
import { firstInOrder } from '../../src/sim/master/first.js'
import { dbl, formatDouble, RawBytes, sortedJson, stringify, toBuffer } from '../../src/sim/json.js'
import { cpuCounters, cpuUsage } from '../../src/sim/agent/usage.js'
import type { Agent, Executor } from '../../src/sim/model.js'
import { Random } from '../../src/sim/random.js'
import { RecordReader } from '../../src/sim/recordio.js'
import { packedIp } from '../../src/sim/world.js'
import { leaderOf, parseZkUrl } from '../../src/sim/zk.js'

describe('JSON writer', () => {
  it('writes doubles with a fractional part and integers plain', () => {
    expect(stringify({ a: dbl(1), b: 1, c: dbl(1470820172.0731502), d: dbl(0.5), e: dbl(32) })).toBe(
      '{"a":1.0,"b":1,"c":1470820172.0731502,"d":0.5,"e":32.0}',
    )
  })

  it('before 1.7: %#.*g with 15 significant digits, trailing zeros trimmed, .0 kept', () => {
    expect(formatDouble(1470820172.0731502, true)).toBe('1470820172.07315')
    expect(formatDouble(1, true)).toBe('1.0')
    expect(formatDouble(0.25, true)).toBe('0.25')
  })

  it('escapes only ", \\ and control characters; / is escaped only before 1.7', () => {
    expect(stringify('a/b"c\\d\x01\x7f\té')).toBe('"a/b\\"c\\\\d\\u0001\x7f\\té"'.replace('é', Buffer.from('é').toString('latin1')))
    expect(stringify('a/b\x7f', { legacy: true })).toBe('"a\\/b\\u007f"')
  })

  it('passes raw bytes through unvalidated', () => {
    const out = Buffer.from(stringify({ data: new RawBytes(Buffer.from([0xc3, 0x28, 0x00])) }), 'latin1')
    expect([...out]).toEqual([...Buffer.from('{"data":"'), 0xc3, 0x28, ...Buffer.from('\\u0000"}')])
  })

  it('the fast wire path gives the same bytes as the reference writer', () => {
    const sample = {
      s: 'ünï "q" \\ / \x01\x1f\x7f\t\n',
      d: [dbl(1), dbl(0.1), dbl(1e-7), dbl(1470820172.0731502), dbl(-3)],
      n: [0, -5, 123456789012],
      nested: { raw: new RawBytes(Buffer.from([0xff, 0x00, 0x22, 0x41])), u: undefined, b: true, z: null },
      empty: { a: [], o: {} },
      tricky: ['\u0000D1.0', '\u0000R0', 'a\u0000\u0001D1.0'],
    }
    expect(toBuffer(sample)).toEqual(Buffer.from(stringify(sample), 'latin1'))
  })

  it('leaves out undefined fields', () => {
    expect(stringify({ a: undefined, b: [1] })).toBe('{"b":[1]}')
  })

  it('sorts keys at every level for ZooKeeper data', () => {
    expect(sortedJson({ b: 1, a: { d: 1, c: [{ f: 1, e: 2 }] } })).toBe('{"a":{"c":[{"e":2,"f":1}],"d":1},"b":1}')
  })
})

describe('RecordIO reader', () => {
  it('decodes records split at every possible boundary', () => {
    const records = ['{"type":"SUBSCRIBED"}', '{"type":"HEARTBEAT"}', '', '{"x":"ü"}']
    const wire = Buffer.concat(records.map((r) => Buffer.concat([Buffer.from(`${Buffer.byteLength(r)}\n`), Buffer.from(r)])))
    for (let cut = 0; cut <= wire.length; cut++)
      for (const size of [1, 2, 3, 5, 8]) {
        const rd = new RecordReader()
        const out: string[] = []
        const push = (b: Buffer) => {
          for (const rec of rd.push(b)) out.push(rec.toString('utf8'))
        }
        push(wire.subarray(0, cut))
        for (let i = cut; i < wire.length; i += size) push(wire.subarray(i, i + size))
        expect(out).toEqual(records)
      }
  })

  it('rejects a bad length', () => {
    expect(() => new RecordReader().push(Buffer.from('x\n{}'))).toThrow()
  })
})

describe('ZooKeeper naming', () => {
  it('the leader is the lowest sequence, whatever the label; others are ignored', () => {
    expect(leaderOf(['json.info_0000000012', 'info_0000000011', 'log_replicas', 'json.info_0000000010'])).toBe('json.info_0000000010')
    expect(leaderOf(['log_replicas'])).toBeUndefined()
    expect(leaderOf(['0000000003', 'json.info_0000000004'])).toBe('0000000003')
  })

  it('parses zk:// URLs with credentials and a chroot path', () => {
    expect(parseZkUrl('zk://u:p@h1:2181,h2:2181/mesos')).toEqual({ servers: 'h1:2181,h2:2181', path: '/mesos', auth: 'u:p' })
    expect(() => parseZkUrl('zk://h1:2181')).toThrow(/chroot/)
    expect(() => parseZkUrl('zk://h1:2181/')).toThrow(/chroot/)
    expect(() => parseZkUrl('http://h1/mesos')).toThrow()
  })

  it('packs MasterInfo.ip in network order as read on a little-endian host', () => {
    expect(packedIp('127.0.0.1')).toBe(16777343)
    expect(packedIp('10.0.0.1')).toBe(16777226)
  })
})

describe('seeded IDs', () => {
  it('UUIDs are version-4 formatted draws of 16 bytes, status UUIDs 16 bytes in base64', () => {
    const a = new Random(42)
    const b = new Random(42)
    for (let i = 0; i < 50; i++) {
      const raw = b.bytes(16)
      raw[6] = (raw[6]! & 0x0f) | 0x40
      raw[8] = (raw[8]! & 0x3f) | 0x80
      const hex = raw.toString('hex')
      const want = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
      expect(a.uuid()).toBe(want)
      expect(a.base64Id()).toBe(b.bytes(16).toString('base64'))
    }
  })
})

describe('sandbox paths', () => {
  it('are the joined path, also for segments join would normalize', () => {
    const c = new Cluster('m', '/tmp/work//dir/', new Random(1))
    const agent = { id: 'm-S0' } as Agent
    for (const [ex, cid] of [['task-1', 'c1'], ['..', 'c2'], ['a/../b', '.'], ['é€', 'x']])
      expect(c.sandboxOf(agent, 'fw', ex!, cid!)).toBe(
        join('/tmp/work//dir/', 'slaves', 'm-S0', 'frameworks', 'fw', 'executors', ex!, 'runs', cid!),
      )
  })
})

describe('first in order', () => {
  it('answers what a stable sort then slice would, ties in the given order', () => {
    const rng = new Random(3)
    for (const n of [0, 1, 7, 300]) {
      const items = Array.from({ length: n }, (_, i) => ({ key: rng.int(0, 20), i }))
      const cmp = (a: { key: number }, b: { key: number }) => b.key - a.key
      for (const k of [0, 1, 5, 100, 5000])
        expect(firstInOrder(items, k, cmp)).toEqual([...items].sort(cmp).slice(0, k))
    }
  })
})

describe('container CPU counters (/monitor/statistics)', () => {
  const ex = (launchedAt: number, cpus: number, containerId: string) =>
    ({ launchedAt, containerId, id: 'e', resources: { cpus, mem: 64, disk: 0, gpus: 0 } }) as unknown as Executor

  it('are cumulative: over an hour of samples at odd intervals no counter ever goes back', () => {
    const e = ex(1_000_000, 2, 'c-1')
    let prev = cpuCounters(e, 1_000_000)
    expect(prev).toEqual({ user: 0, system: 0, periods: 0, throttled: 0, throttledSecs: 0 })
    for (let t = 1_000_000.37; t < 1_003_600; t += 0.37 + (t % 11) / 3) {
      const c = cpuCounters(e, t)
      for (const k of ['user', 'system', 'periods', 'throttled', 'throttledSecs'] as const) expect(c[k]).toBeGreaterThanOrEqual(prev[k])
      prev = c
    }
    expect(prev.periods).toBeGreaterThan(30_000)
    expect(prev.throttled).toBeGreaterThan(0)
  })

  it('grow between two samples by the CPU used in between, to a tick: 0.30 to 0.40 of cpus', () => {
    const e = ex(2_000_000, 1.5, 'c-2')
    for (const [a, b] of [[2_000_010, 2_000_012], [2_000_100, 2_000_103.5], [2_000_400, 2_000_401]]) {
      const ca = cpuCounters(e, a!)
      const cb = cpuCounters(e, b!)
      const used = (cb.user + cb.system - ca.user - ca.system) / (b! - a!)
      const mid = cpuUsage(e, (a! + b!) / 2)
      expect(Math.abs(used - mid)).toBeLessThanOrEqual(0.02 / (b! - a!) + 0.01)
      expect(used / 1.5).toBeGreaterThanOrEqual(0.29)
      expect(used / 1.5).toBeLessThanOrEqual(0.41)
    }
  })

  it('a container not yet launched has used nothing', () => {
    const e = ex(3_000_000, 1, 'c-3')
    expect(cpuUsage(e, 2_999_999)).toBe(0)
    expect(cpuCounters(e, 2_999_999).user).toBe(0)
  })
})
