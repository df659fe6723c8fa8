/**
 * Agents as the master lists them (`/master/slaves`, v0 JSON), how to reach one, and choosing
 * agents by a fragment of their ID or hostname.
 */
import type { Endpoint } from '../http/endpoint.js'
import { addressFromPid } from '../master/spec.js'

export interface AgentInfo {
  id: string
  hostname: string
  /** `slave(1)@10.0.0.2:5051`: the address to use, and the libprocess ID that prefixes routes. */
  pid: string
  port?: number
  active?: boolean
  version?: string
  resources?: Record<string, unknown>
  used_resources?: Record<string, unknown>
  [key: string]: unknown
}

/** Agent address from its PID (the web UI's rule), else its hostname and port. */
export function agentEndpoint(agent: AgentInfo, scheme: 'http' | 'https'): Endpoint {
  const addr = addressFromPid(agent.pid ?? '')
  return {
    role: 'agent',
    scheme,
    host: addr?.host ?? agent.hostname,
    port: addr?.port ?? agent.port ?? 5051,
  }
}

/** The libprocess process ID of the agent (`slave(1)`), which prefixes its own routes. */
export function agentProcessId(agent: Pick<AgentInfo, 'pid'>): string {
  const at = (agent.pid ?? '').lastIndexOf('@')
  return at > 0 ? agent.pid.slice(0, at) : 'slave(1)'
}

/**
 * Agents whose ID or hostname equals the filter exactly, else those containing it. An empty filter
 * matches every agent.
 */
export function matchAgents<T extends Pick<AgentInfo, 'id' | 'hostname'>>(
  agents: readonly T[],
  filter: string,
): T[] {
  if (filter === '') return [...agents]
  const exact = agents.filter((a) => a.id === filter || a.hostname === filter)
  if (exact.length > 0) return exact
  return agents.filter((a) => a.id.includes(filter) || a.hostname.includes(filter))
}
