/**
 * `mesos events --logs` (and the fallback for masters without the v1 API): follow the master's log
 * and every agent's log through the files API every few seconds, yielding what each appended,
 * picking up agents that join. A daemon started without --log_dir has no log to serve: that is said
 * once, not treated as a failure.
 */
import type { Deps } from '../deps/index.js'
import { MesosError } from '../errors.js'
import { leaderAddress, leaderEndpoint } from '../master/resolve.js'
import { type Cursor, newCursor, readAppended } from '../sandbox/appended.js'
import { AgentFiles } from '../sandbox/files.js'
import type { SourceChunk } from '../sandbox/chunks.js'
import { type AgentInfo, agentEndpoint } from '../tasks/agents.js'

export interface LogsOptions {
  intervalSec: number
}

interface LogSource {
  name: string
  files: AgentFiles
  path: string
  cursor: Cursor
  missingSaid: boolean
  failing: boolean
}

/** The agent list is read again this often (in rounds) to pick up agents that join. */
const AGENT_REFRESH_ROUNDS = 5

export async function* followLogs(deps: Deps, o: LogsOptions): AsyncGenerator<SourceChunk> {
  const sources = new Map<string, LogSource>()
  const scheme = deps.settings.profile.scheme

  const refreshSources = async () => {
    const master = deps.master()
    const leader = await master.leader()
    const key = 'master'
    const name = `master ${leaderAddress(leader)}:/master/log`
    if (sources.get(key)?.name !== name) {
      sources.set(key, { name, files: new AgentFiles(deps.http(), leaderEndpoint(leader)), path: '/master/log', cursor: newCursor(), missingSaid: false, failing: false })
    }
    const body = await master.getJson<{ slaves?: AgentInfo[] }>('/master/slaves')
    for (const a of body.slaves ?? []) {
      if (sources.has(a.id)) continue
      sources.set(a.id, {
        name: `agent ${a.hostname} (${a.id}):/slave/log`,
        files: new AgentFiles(deps.http(), agentEndpoint(a, scheme)),
        path: '/slave/log',
        cursor: newCursor(),
        missingSaid: false,
        failing: false,
      })
    }
  }

  const poll = async (s: LogSource, first: boolean): Promise<Buffer> => {
    try {
      if (first) {
        // start at the end: events from now on
        const size = await s.files.size(s.path)
        if (size !== undefined) s.cursor.offset = size
      }
      const fresh = await readAppended(s.files, s.path, s.cursor, () =>
        deps.io.note(`mesos: ${s.name} was truncated or rotated; following from the start`),
      )
      if (s.failing) deps.io.note(`mesos: ${s.name} is answering again`)
      s.failing = false
      if (fresh === undefined) {
        if (!s.missingSaid) deps.io.note(`mesos: ${s.name} does not exist (started without --log_dir?); skipping it`)
        s.missingSaid = true
        return Buffer.alloc(0)
      }
      return fresh
    } catch (err) {
      if (!(err instanceof MesosError) || err.kind === 'usage') throw err
      if (!s.failing) deps.io.warn(`${s.name}: ${err.message}; retrying`)
      s.failing = true
      return Buffer.alloc(0)
    }
  }

  const seen = new Set<string>()
  for (let round = 0; ; round++) {
    if (round > 0) await deps.clock.sleep(o.intervalSec * 1000, deps.signal)
    if (round % AGENT_REFRESH_ROUNDS === 0) {
      try {
        await refreshSources()
      } catch (err) {
        if (!(err instanceof MesosError) || err.kind === 'usage') throw err
        deps.io.warn(`${err.message}; retrying`)
        await deps.master().refresh().catch(() => undefined)
      }
    }
    const list = [...sources.values()].filter((s) => !s.missingSaid || round % AGENT_REFRESH_ROUNDS === 0)
    const out = await Promise.all(list.map((s) => poll(s, !seen.has(s.name))))
    for (const s of list) seen.add(s.name)
    for (const [i, s] of list.entries()) {
      const bytes = out[i]!
      if (bytes.length > 0) yield { source: s.name, bytes }
    }
  }
}
