/** `mesos resolve`: the leading master, and what is known about it. */
import type { Deps } from '../deps/index.js'
import { type Leader, leaderAddress, leaderEndpoint, leaderUrl } from './resolve.js'

export interface ResolveResult {
  leader: string
  url: string
  source: Leader['source']
  id?: string
  hostname?: string
  version?: string
}

export async function leaderDetails(
  deps: Deps,
  spec: string | undefined,
  detailed: boolean,
): Promise<ResolveResult> {
  const leader = await deps.resolveLeader(spec)
  if (spec === undefined) await deps.rememberLeader(leader)
  const out: ResolveResult = { leader: leaderAddress(leader), url: leaderUrl(leader), source: leader.source }
  if (leader.id) out.id = leader.id
  if (leader.hostname) out.hostname = leader.hostname
  if (leader.version) out.version = leader.version
  if (detailed && (!out.id || !out.hostname || !out.version)) await fillFromMaster(deps, leader, out)
  return out
}

/**
 * What a redirect or a static address does not say: v1 `GET_MASTER` names the master's ID, hostname
 * and version in one small answer; a pre-1.0 master has only `/version`. Unknown stays absent.
 */
async function fillFromMaster(deps: Deps, leader: Leader, out: ResolveResult): Promise<void> {
  const e = leaderEndpoint(leader)
  try {
    const res = await deps.http().request(e, '/api/v1', {
      method: 'POST',
      body: '{"type":"GET_MASTER"}',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
    })
    if (res.status === 200) {
      const info = (JSON.parse(await res.text()) as { get_master?: { master_info?: { id?: string; hostname?: string; version?: string } } })
        .get_master?.master_info
      if (!out.id && typeof info?.id === 'string') out.id = info.id
      if (!out.hostname && typeof info?.hostname === 'string') out.hostname = info.hostname
      if (!out.version && typeof info?.version === 'string') out.version = info.version
      if (out.version) return
    } else await res.dump()
  } catch (err) {
    deps.debug(`no GET_MASTER from ${out.leader}: ${(err as Error).message}`)
  }
  try {
    // /version needs no authentication and is cheap; without it the version is simply unknown.
    const v = await deps.http().getJson<{ version?: string }>(e, '/version', { jsonFallback: false })
    if (typeof v.version === 'string') out.version = v.version
  } catch (err) {
    deps.debug(`no version from ${out.leader}: ${(err as Error).message}`)
  }
}
