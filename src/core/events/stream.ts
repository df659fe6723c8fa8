/**
 * `mesos events`: the master's v1 SUBSCRIBE stream, decoded as it arrives. A stream that goes quiet
 * for five heartbeat intervals, ends, or breaks (a master failover) is resubscribed at the leader,
 * resolved again, with a growing pause, and a note on stderr each time.
 */
import type { Deps } from '../deps/index.js'
import { MesosError } from '../errors.js'
import { leaderAddress } from '../master/resolve.js'
import type { MasterEvent } from './types.js'
import { RecordIODecoder } from './recordio.js'

/** An event as received (`record`, its exact bytes) and decoded; or the news that there is no v1 API. */
export type EventItem = { kind: 'event'; record: Buffer; event: MasterEvent } | { kind: 'no-v1' }

const MISSED_HEARTBEATS = 5
const DEFAULT_HEARTBEAT_SEC = 15
const MAX_BACKOFF_MS = 30_000

/**
 * Every event but heartbeats, until the consumer stops or the run is interrupted; a master without
 * the v1 API (pre-1.0) yields `no-v1` and ends.
 */
export async function* followEvents(deps: Deps): AsyncGenerator<EventItem> {
  let backoff = 1000
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
      arm()
      const res = await master.request('/api/v1', {
        method: 'POST',
        body: '{"type":"SUBSCRIBE"}',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        bodyTimeoutSec: null,
        jsonFallback: false,
        signal: AbortSignal.any([watchdog.signal, deps.signal]),
      })
      const leader = await master.leader()
      where = `master ${leaderAddress(leader)}`
      if (res.status === 404 || res.status === 405) {
        await res.dump()
        if (res.status === 404) {
          yield { kind: 'no-v1' }
          return
        }
      }
      await deps.http().expectOk({ role: 'master', scheme: leader.scheme, host: leader.host, port: leader.port }, res, 'POST')
      const decoder = new RecordIODecoder()
      for await (const chunk of res.body) {
        arm()
        for (const record of decoder.push(chunk as Buffer)) {
          const ev = JSON.parse(record.toString('utf8')) as MasterEvent
          if (ev.type === 'SUBSCRIBED') {
            heartbeatSec = ev.subscribed?.heartbeat_interval_seconds ?? DEFAULT_HEARTBEAT_SEC
            arm()
            backoff = 1000
            deps.io.note(`mesos: subscribed to ${where}`)
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
