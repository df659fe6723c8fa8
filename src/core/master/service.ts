/** `mesos resolve`: the leading master, and what is known about it. */
import type { Deps } from '../deps.js'
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
  if (detailed && !leader.version) {
    // /version needs no authentication and is cheap; without it the version is simply unknown.
    try {
      const v = await deps
        .http()
        .getJson<{ version?: string }>(leaderEndpoint(leader), '/version', { jsonFallback: false })
      if (typeof v.version === 'string') out.version = v.version
    } catch (err) {
      deps.debug(`no version from ${out.leader}: ${(err as Error).message}`)
    }
  }
  return out
}
