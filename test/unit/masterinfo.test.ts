import { describe, expect, it } from 'vitest'
import {
  decodeMasterInfo,
  ipFromNetworkOrder,
  ipToNetworkOrder,
  MasterInfoError,
} from '../../src/core/master/masterinfo.js'

/** Encodes protobuf fields the way Mesos 0.17–0.23 wrote MasterInfo (for the tests only). */
function varint(n: number): number[] {
  const out: number[] = []
  let v = n
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80)
    v = Math.floor(v / 0x80)
  }
  out.push(v)
  return out
}
function field(num: number, value: string | number): number[] {
  if (typeof value === 'number') return [...varint(num * 8), ...varint(value)]
  const bytes = [...Buffer.from(value)]
  return [...varint(num * 8 + 2), ...varint(bytes.length), ...bytes]
}

describe('MasterInfo ip (network byte order on little-endian hosts)', () => {
  it('decodes the reference examples', () => {
    expect(ipFromNetworkOrder(16777343)).toBe('127.0.0.1')
    expect(ipFromNetworkOrder(16777226)).toBe('10.0.0.1')
  })
  it('round-trips', () => {
    for (const ip of ['192.168.1.20', '10.255.0.7', '0.0.0.0', '255.255.255.255']) {
      expect(ipFromNetworkOrder(ipToNetworkOrder(ip))).toBe(ip)
    }
  })
})

describe('decodeMasterInfo', () => {
  it('reads address.ip/port from JSON MasterInfo (1.x json.info_)', () => {
    const json =
      '{"address":{"hostname":"m1","ip":"10.0.0.1","port":5050},"capabilities":[{"type":"AGENT_UPDATE"}],"hostname":"m1","id":"c6b1","ip":16777226,"pid":"master@10.0.0.1:5050","port":5050,"version":"1.11.0"}'
    expect(decodeMasterInfo('json.info', Buffer.from(json))).toEqual({
      host: '10.0.0.1',
      port: 5050,
      id: 'c6b1',
      hostname: 'm1',
      version: '1.11.0',
      pid: 'master@10.0.0.1:5050',
    })
  })

  it('falls back to the network-order ip integer when there is no address', () => {
    const json = '{"hostname":"","id":"x","ip":16777343,"port":5051}'
    expect(decodeMasterInfo('json.info', Buffer.from(json))).toMatchObject({ host: '127.0.0.1', port: 5051 })
  })

  it('takes the pid string from binary MasterInfo (0.17–0.23 info_)', () => {
    const buf = Buffer.from([
      ...field(1, '20150101-000000-16777226-5050-1234'),
      ...field(2, 16777226),
      ...field(3, 5050),
      ...field(4, 'master@10.0.0.9:5055'),
      ...field(5, 'm9.example.com'),
    ])
    expect(decodeMasterInfo('info', buf)).toEqual({
      host: '10.0.0.9',
      port: 5055,
      id: '20150101-000000-16777226-5050-1234',
      hostname: 'm9.example.com',
      pid: 'master@10.0.0.9:5055',
    })
  })

  it('uses ip and port from binary MasterInfo without a pid', () => {
    const buf = Buffer.from([...field(1, 'id'), ...field(2, 16777343), ...field(3, 5050)])
    expect(decodeMasterInfo('info', buf)).toMatchObject({ host: '127.0.0.1', port: 5050 })
  })

  it('reads master@ip:port text from unlabeled nodes (0.16 and earlier)', () => {
    expect(decodeMasterInfo('', Buffer.from('master@10.1.2.3:5050\n'))).toEqual({
      host: '10.1.2.3',
      port: 5050,
      pid: 'master@10.1.2.3:5050',
    })
  })

  it.each([
    ['json.info', 'not json'],
    ['json.info', '{"id":"only"}'],
    ['info', '\u0008'],
    ['', 'garbage'],
    ['weird', 'master@1.2.3.4:5050'],
    ['json.info', ''],
  ])('refuses %s data %j', (label, data) => {
    expect(() => decodeMasterInfo(label, Buffer.from(data, 'latin1'))).toThrow(MasterInfoError)
  })
})
