/**
 * `mesos events` on a cluster whose SUBSCRIBED snapshot is too big to hold: the record is passed
 * over as it arrives, names come from GET_AGENTS and GET_FRAMEWORKS, and the events that follow are
 * shown. The size limit is lowered here so an ordinary simulated cluster is "too big".
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDeps, type Deps } from '../../src/core/deps/index.js'
import { type EventItem, followEvents, heartbeatOf } from '../../src/core/events/stream.js'
import { encodeRecord, RecordIODecoder, type SkippedRecord } from '../../src/core/events/recordio.js'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { startServer } from '../helpers/http-server.js'
import { captureIO } from '../helpers/io.js'
import { TestClock } from '../helpers/run-command.js'

let sim: Simulator
let scratch: string
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'flink', heartbeatSeconds: 0.5 })
  scratch = mkdtempSync(join(tmpdir(), 'mesos-events-big-'))
})
afterAll(async () => {
  await sim?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

describe('a SUBSCRIBED snapshot too big to hold', () => {
  it('is skipped with a note; names are asked for; later events arrive with their agents', async () => {
    const cap = await captureIO()
    const abort = new AbortController()
    const deps: Deps = await createDeps({
      io: cap.io,
      master: sim.masterSpec,
      env: { MESOS_CLI_CONFIG: join(scratch, 'none.json'), MESOS_CLI_CACHE_DIR: join(scratch, 'cache') },
      cwd: scratch,
      home: scratch,
      signal: abort.signal,
    })
    const items: EventItem[] = []
    const it = followEvents(deps, { bigEventBytes: 1024 })
    try {
      const first = await it.next()
      expect(first.done).toBe(false)
      items.push(first.value as EventItem)
      expect(items[0]!.kind).toBe('names')
      const names = (items[0] as { event: { subscribed?: { get_state?: { get_agents?: { agents?: unknown[] }; get_frameworks?: { frameworks?: { framework_info?: { name?: string } }[] } } } } })
        .event.subscribed?.get_state
      expect(names?.get_agents?.agents?.length).toBe(sim.agents.length)
      expect(names?.get_frameworks?.frameworks?.map((f) => f.framework_info?.name)).toContain('Flink')
      expect(cap.stderr()).toMatch(/subscribed to master \S+; its snapshot of the cluster \(\d+ MiB\) is too big to show, so events start from now/)

      sim.launchTask({ framework: 'Flink', id: 'after-the-snapshot' })
      for (;;) {
        const next = await it.next()
        if (next.done) throw new Error('the stream ended')
        const item = next.value
        if (item.kind === 'event' && item.event.type === 'TASK_ADDED') {
          expect(item.event.task_added?.task?.task_id?.value).toBe('after-the-snapshot')
          break
        }
      }
    } finally {
      abort.abort(new Error('done'))
      await it.return(undefined)
      await deps.close()
    }
  }, 30_000)

  it('its heartbeat interval is read from the end of the record', () => {
    const event = `{"type":"SUBSCRIBED","subscribed":{"get_state":{"get_tasks":{"tasks":[${'{"x":1},'.repeat(2000)}{}]}},"heartbeat_interval_seconds":15.0}}`
    const d = new RecordIODecoder({ skipAbove: 100 })
    const [r] = d.read(encodeRecord(event))
    expect(Buffer.isBuffer(r)).toBe(false)
    expect(heartbeatOf(r as SkippedRecord)).toBe(15)
    const [other] = new RecordIODecoder({ skipAbove: 10 }).read(encodeRecord('{"type":"SUBSCRIBED","subscribed":{}}'))
    expect(heartbeatOf(other as SkippedRecord)).toBeUndefined()
  })
})

describe('the event stream watchdog', () => {
  it('resubscribes after five missed heartbeats of the interval SUBSCRIBED gave', async () => {
    const server = await startServer()
    server.route('/api/v1', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write(encodeRecord('{"type":"SUBSCRIBED","subscribed":{"get_state":{},"heartbeat_interval_seconds":0.1}}'))
      // and then silence: no heartbeat, no end
    })
    const cap = await captureIO()
    const abort = new AbortController()
    const clock = new TestClock()
    const deps = await createDeps({
      io: cap.io,
      master: server.address,
      env: { MESOS_CLI_CONFIG: join(scratch, 'none.json'), MESOS_CLI_CACHE_DIR: join(scratch, 'cache2') },
      cwd: scratch,
      home: scratch,
      clock,
      signal: abort.signal,
    })
    const it = followEvents(deps)
    try {
      expect((await it.next()).value).toMatchObject({ kind: 'event', event: { type: 'SUBSCRIBED' } })
      const second = it.next()
      const deadline = Date.now() + 20_000
      while (clock.sleeping === 0 && Date.now() < deadline) await new Promise((r) => setImmediate(r))
      expect(cap.stderr()).toMatch(/event stream from master \S+ lost \(no heartbeat for 0\.5s\); resubscribing in 1s/)
      clock.advance(1000)
      expect((await second).value).toMatchObject({ kind: 'event', event: { type: 'SUBSCRIBED' } })
      expect(server.requests.filter((r) => r.url === '/api/v1').length).toBe(2)
    } finally {
      abort.abort(new Error('done'))
      await it.return(undefined)
      await deps.close()
      await server.close()
    }
  }, 30_000)
})
