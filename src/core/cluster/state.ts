/**
 * `mesos state [AGENT]`: the master's state, or one agent's, as the JSON the cluster sent.
 */
import type { Deps } from '../deps/index.js'
import { failure, noMatchError } from '../errors.js'
import type { Endpoint } from '../http/endpoint.js'
import { parseAnswer } from '../http/validate.js'
import { leaderEndpoint } from '../master/resolve.js'
import { addressFromPid } from '../master/spec.js'
import { type AgentInfo, agentEndpoint, agentProcessId, matchAgents } from '../tasks/agents.js'

export interface RawJson {
  /** The body exactly as received. */
  bytes: Buffer
  value: unknown
}

function parse(e: Endpoint, path: string, bytes: Buffer): RawJson {
  return { bytes, value: parseAnswer(e, path, bytes) }
}

/**
 * The leading master's `/master/state`. Before 1.0 a follower answered with its own, nearly empty
 * state whose `leader` names the real leader: in that case ask the leader.
 */
export async function masterState(deps: Deps): Promise<RawJson> {
  const master = deps.master()
  for (let hop = 0; hop < 2; hop++) {
    const e = leaderEndpoint(await master.leader())
    const res = await deps.http().expectOk(e, await master.request('/master/state'))
    const raw = parse(res.endpoint ?? e, '/master/state', await res.bytes())
    const state = raw.value as { pid?: string; leader?: string }
    if (!state.leader || !state.pid || state.leader === state.pid) return raw
    const leader = addressFromPid(state.leader)
    if (!leader) return raw
    deps.debug(`master ${state.pid} is not the leader; asking ${state.leader}`)
    await master.moveTo(leader)
  }
  throw failure('the masters disagree about who leads; try again')
}

export async function listAgents(deps: Deps): Promise<AgentInfo[]> {
  const body = await deps.master().getJson<{ slaves?: AgentInfo[] }>('/master/slaves')
  return body.slaves ?? []
}

export async function agentState(deps: Deps, filter: string): Promise<RawJson> {
  const agents = await listAgents(deps)
  const found = matchAgents(agents, filter)
  if (found.length === 0) {
    throw noMatchError(`no agent matches "${filter}"`, [`${agents.length} agent(s) known; try mesos agents`])
  }
  if (found.length > 1) {
    const list = found.map((a) => `${a.id}  ${a.hostname}`).sort()
    throw noMatchError(`${found.length} agents match "${filter}"`, ['give more of the ID or hostname'], list)
  }
  const agent = found[0]!
  const e = agentEndpoint(agent, deps.settings.profile.scheme)
  const path = `/${agentProcessId(agent)}/state`
  const res = await deps.http().expectOk(e, await deps.http().get(e, path))
  return parse(res.endpoint ?? e, path, await res.bytes())
}

