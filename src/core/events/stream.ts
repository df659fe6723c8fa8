/**
 * `mesos events`: the master's v1 SUBSCRIBE stream, decoded as it arrives. A stream that goes quiet
 * for five heartbeat intervals, ends, or breaks (a master failover) is resubscribed at the leader,
 * resolved again, with a growing pause, and a note on stderr each time.
 */
import type { Deps } from '../deps/index.js'
import { MesosError } from '../errors.js'
import { leaderAddress } from '../master/resolve.js'
import { v1Call } from '../master/v1.js'
import type { MasterEvent } from './types.js'
import { RecordIODecoder, type SkippedRecord } from './recordio.js'
import { safe } from '../output/terminal.js'

/**
 * An event as received (`record`, its exact bytes) and decoded; names of agents and frameworks to
 * learn (when the snapshot was too big to read); or the news that there is no v1 API.
 */
export type EventItem = { kind: 'event'; record: Buffer; event: MasterEvent } | { kind: 'names'; event: MasterEvent } | { kind: 'no-v1' }

/**
 * SUBSCRIBED carries the whole cluster state (about 700 bytes a task): beyond this it is passed over
 * as it arrives instead of being held and parsed, and names come from GET_AGENTS and GET_FRAMEWORKS.
 */
export const BIG_EVENT_BYTES = 128 * 1024 * 1024

const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`

/** The agents' and frameworks' names, as a SUBSCRIBED-shaped event to learn from; what is missing is noted. */
async function namesFromMaster(deps: Deps): Promise<MasterEvent> {
  type State = NonNullable<NonNullable<MasterEvent['subscribed']>['get_state']>
  const call = async <K extends keyof State>(type: string, key: K): Promise<State[K] | undefined> => {
    const body = await v1Call<Partial<Record<K, State[K]>>>(deps, type)
    if (body === undefined) deps.io.note(`mesos: no ${type} from the master; IDs are shown instead of names`)
    return body?.[key]
  }
  const state: State = { get_agents: await call('GET_AGENTS', 'get_agents'), get_frameworks: await call('GET_FRAMEWORKS', 'get_frameworks') }
  return { type: 'SUBSCRIBED', subscribed: { get_state: state } }
}

/** What the end of a skipped SUBSCRIBED says: its heartbeat interval (the last field of the event). */
export function heartbeatOf(r: SkippedRecord): number | undefined {
  const m = /"heartbeat_interval_seconds":(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\}\}$/.exec(r.tail.toString('latin1'))
  const n = m ? Number(m[1]) : NaN
  return Number.isFinite(n) && n > 0 ? n : undefined
}

const MISSED_HEARTBEATS = 5
const DEFAULT_HEARTBEAT_SEC = 15
const MAX_BACKOFF_MS = 30_000

/**
 * Every event but heartbeats, until the consumer stops or the run is interrupted; a master without
 * the v1 API (pre-1.0) yields `no-v1` and ends.
 */
export async function* followEvents(deps: Deps, opts: { bigEventBytes?: number } = {}): AsyncGenerator<EventItem> {
  let backoff = 1000
  let lost = false
  for (;;) {
    const master = deps.master()
    const watchdog = new AbortController()
    let timer: NodeJS.Timeout | undefined
    let heartbeatSec = DEFAULT_HEARTBEAT_SEC
    const arm = () => {
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => watchdog.abort(new Error('missed heartbeats')), heartbeatSec * MISSED_HEARTBEATS * 1000)
    }
    let where = 'the master'
    let reason = 'the stream ended'
    try {
      // Until the answer starts, --timeout bounds the wait: a master builds its snapshot first.
      const res = await master.request('/api/v1', {
        method: 'POST',
        body: '{"type":"SUBSCRIBE"}',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        bodyTimeoutSec: null,
        jsonFallback: false,
        signal: AbortSignal.any([watchdog.signal, deps.signal]),
      })
      arm()
      const leader = await master.leader()
      where = `master ${safe(leaderAddress(leader))}`
      if (res.status === 404 || res.status === 405) {
        await res.dump()
        if (res.status === 404) {
          yield { kind: 'no-v1' }
          return
        }
      }
      await deps.http().expectOk({ role: 'master', scheme: leader.scheme, host: leader.host, port: leader.port }, res, 'POST')
      const decoder = new RecordIODecoder({ skipAbove: opts.bigEventBytes ?? BIG_EVENT_BYTES })
      for await (const chunk of res.body) {
        arm()
        for (const record of decoder.read(chunk as Buffer)) {
          if (!Buffer.isBuffer(record)) {
            if (!/^\{"type":"SUBSCRIBED"/.test(record.head.toString('latin1'))) {
              deps.io.note(`mesos: skipped an event of ${mib(record.skipped)} from ${where}`)
              continue
            }
            heartbeatSec = heartbeatOf(record) ?? DEFAULT_HEARTBEAT_SEC
            arm()
            backoff = 1000
            deps.io.note(`mesos: subscribed to ${where}; its snapshot of the cluster (${mib(record.skipped)}) is too big to show, so events start from now`)
            yield { kind: 'names', event: await namesFromMaster(deps) }
            continue
          }
          const ev = JSON.parse(record.toString('utf8')) as MasterEvent
          if (ev.type === 'SUBSCRIBED') {
            heartbeatSec = ev.subscribed?.heartbeat_interval_seconds ?? DEFAULT_HEARTBEAT_SEC
            arm()
            backoff = 1000
            // the first subscription is the command's start line (on a terminal); only a new one is news
            if (lost) deps.io.note(`mesos: subscribed to ${where}`)
          }
          if (ev.type === 'HEARTBEAT') continue
          yield { kind: 'event', record, event: ev }
        }
      }
    } catch (err) {
      if (deps.signal.aborted) throw err
      if (watchdog.signal.aborted) reason = `no heartbeat for ${heartbeatSec * MISSED_HEARTBEATS}s`
      else if (err instanceof MesosError) {
        if (err.kind === 'usage') throw err
        reason = err.message
      } else reason = (err as Error).message
    } finally {
      if (timer) clearTimeout(timer)
      watchdog.abort()
    }
    lost = true
    deps.io.note(`mesos: event stream from ${where} lost (${reason}); resubscribing in ${Math.round(backoff / 1000)}s`)
    await deps.clock.sleep(backoff, deps.signal)
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
    try {
      await master.refresh()
    } catch (err) {
      if (!(err instanceof MesosError) || err.kind === 'usage') throw err
      // no leader yet: the next attempt says so and waits longer
    }
  }
}
