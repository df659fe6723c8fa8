/**
 * Decoding the data of a master's ZooKeeper node into an address, for the three formats Mesos has
 * written: JSON MasterInfo (`json.info_`), binary protobuf MasterInfo (`info_`), and a bare
 * `master@ip:port` PID string (unlabeled).
 */
import { addressFromPid } from './spec.js'

export interface MasterAddress {
  host: string
  port: number
  id?: string
  hostname?: string
  version?: string
  pid?: string
}

export class MasterInfoError extends Error {}

/**
 * MasterInfo.ip is `in_addr.s_addr` stored as a uint32: network byte order read on a little-endian
 * host, so 127.0.0.1 is 0x0100007F. Packing it little-endian gives the octets in order.
 */
export function ipFromNetworkOrder(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new MasterInfoError(`bad ip value ${n}`)
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.')
}

export function ipToNetworkOrder(ip: string): number {
  const parts = ip.split('.').map(Number)
  return ((parts[0]! | (parts[1]! << 8) | (parts[2]! << 16) | (parts[3]! << 24)) >>> 0) as number
}

function validPort(p: unknown): p is number {
  return typeof p === 'number' && Number.isInteger(p) && p > 0 && p < 65536
}

function fromJson(text: string): MasterAddress {
  let info: Record<string, unknown>
  try {
    info = JSON.parse(text) as Record<string, unknown>
  } catch (err) {
    throw new MasterInfoError(`not JSON: ${(err as Error).message}`)
  }
  if (info === null || typeof info !== 'object') throw new MasterInfoError('not a JSON object')
  const extra = {
    ...(typeof info.id === 'string' ? { id: info.id } : {}),
    ...(typeof info.hostname === 'string' ? { hostname: info.hostname } : {}),
    ...(typeof info.version === 'string' ? { version: info.version } : {}),
    ...(typeof info.pid === 'string' ? { pid: info.pid } : {}),
  }
  const address = info.address as Record<string, unknown> | undefined
  if (address && typeof address.ip === 'string' && validPort(address.port)) {
    return { host: address.ip, port: address.port, ...extra }
  }
  const port = validPort(info.port) ? info.port : 5050
  if (typeof info.ip === 'number') return { host: ipFromNetworkOrder(info.ip), port, ...extra }
  if (typeof info.hostname === 'string' && info.hostname !== '')
    return { host: info.hostname, port, ...extra }
  if (typeof info.pid === 'string') {
    const a = addressFromPid(info.pid)
    if (a) return { ...a, ...extra }
  }
  throw new MasterInfoError('MasterInfo has neither address, ip, hostname nor pid')
}

type Field = { num: number; varint?: number; bytes?: Buffer }

/** A minimal protobuf wire-format reader: enough for MasterInfo's strings, varints and messages. */
export function readProtobuf(buf: Buffer): Field[] {
  const out: Field[] = []
  let i = 0
  const varint = (): number => {
    let result = 0
    let shift = 0
    for (;;) {
      if (i >= buf.length) throw new MasterInfoError('truncated protobuf varint')
      const b = buf[i++]!
      result += (b & 0x7f) * 2 ** shift
      if ((b & 0x80) === 0) return result
      shift += 7
      if (shift > 63) throw new MasterInfoError('protobuf varint too long')
    }
  }
  while (i < buf.length) {
    const key = varint()
    const num = Math.floor(key / 8)
    const wire = key % 8
    if (num === 0) throw new MasterInfoError('protobuf field number 0')
    if (wire === 0) out.push({ num, varint: varint() })
    else if (wire === 2) {
      const len = varint()
      if (i + len > buf.length) throw new MasterInfoError('truncated protobuf field')
      out.push({ num, bytes: buf.subarray(i, i + len) })
      i += len
    } else if (wire === 5) i += 4
    else if (wire === 1) i += 8
    else throw new MasterInfoError(`unsupported protobuf wire type ${wire}`)
    if (i > buf.length) throw new MasterInfoError('truncated protobuf field')
  }
  return out
}

// MasterInfo field numbers (include/mesos/mesos.proto).
const F = { id: 1, ip: 2, port: 3, pid: 4, hostname: 5, version: 6, address: 7 } as const

function fromProtobuf(data: Buffer): MasterAddress {
  const fields = readProtobuf(data)
  const str = (n: number) => fields.find((f) => f.num === n)?.bytes?.toString('utf8')
  const int = (n: number) => fields.find((f) => f.num === n)?.varint
  const pid = str(F.pid)
  const extra = {
    ...(str(F.id) !== undefined ? { id: str(F.id) } : {}),
    ...(str(F.hostname) !== undefined ? { hostname: str(F.hostname) } : {}),
    ...(str(F.version) !== undefined ? { version: str(F.version) } : {}),
    ...(pid !== undefined ? { pid } : {}),
  }
  if (pid) {
    const a = addressFromPid(pid)
    if (a) return { ...a, ...extra }
  }
  const ip = int(F.ip)
  if (ip !== undefined) return { host: ipFromNetworkOrder(ip), port: int(F.port) ?? 5050, ...extra }
  throw new MasterInfoError('binary MasterInfo has neither pid nor ip')
}

function fromPidText(text: string): MasterAddress {
  const pid = text.trim()
  const a = addressFromPid(pid)
  if (!a) throw new MasterInfoError(`expected master@ip:port, got ${JSON.stringify(pid.slice(0, 60))}`)
  return { ...a, pid }
}

export function decodeMasterInfo(label: string, data: Buffer): MasterAddress {
  if (data.length === 0) throw new MasterInfoError('the node is empty')
  if (label === 'json.info') return fromJson(data.toString('utf8'))
  if (label === 'info') return fromProtobuf(data)
  if (label === '') return fromPidText(data.toString('utf8'))
  throw new MasterInfoError(`unknown label "${label}"`)
}
