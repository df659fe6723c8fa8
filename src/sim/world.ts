/** What every simulated daemon can see of the simulation. */
import type { Containerizer } from './agent/containerizer.js'
import type { Cluster } from './cluster.js'
import type { Shared } from './http.js'
import type { Behaviour } from './versions.js'

export interface MasterInfo {
  index: number
  id: string
  hostname: string
  ip: string
  port: number
  pid: string
  version: string
  startTime: number
  electedTime?: number
}

export interface World {
  cluster: Cluster
  behaviour: Behaviour
  shared: Shared
  masters: MasterInfo[]
  leader(): MasterInfo | undefined
  workdir: string
  heartbeatMs: number
  /** agent streaming heartbeats (--http_heartbeat_interval, 30 s) */
  agentHeartbeatMs: number
  tls?: { key: string; cert: string }
  /** agents pace /monitor/statistics and /metrics/snapshot at 2 requests per second */
  rateLimit: boolean
  /** each agent's containers, by agent ID: they outlive the agent's HTTP server */
  containerizers: Map<string, Containerizer>
}

/** MasterInfo.ip: the address as a uint32 in network order, read on a little-endian host. */
export function packedIp(ip: string): number {
  const b = ip.split('.').map(Number)
  return ((b[3] ?? 0) * 2 ** 24 + ((b[2] ?? 0) << 16) + ((b[1] ?? 0) << 8) + (b[0] ?? 0)) >>> 0
}

/** JSON::protobuf(MasterInfo) as the contender writes it into ZooKeeper (keys sorted by the caller). */
export function masterInfoProto(m: MasterInfo): Record<string, unknown> {
  const info: Record<string, unknown> = {
    id: m.id,
    ip: packedIp(m.ip),
    port: m.port,
    pid: m.pid,
    hostname: m.hostname,
    version: m.version,
    address: { hostname: m.hostname, ip: m.ip, port: m.port },
  }
  if (!m.version.startsWith('0.'))
    info.capabilities = [{ type: 'AGENT_UPDATE' }, { type: 'AGENT_DRAINING' }, { type: 'QUOTA_V2' }]
  return info
}
