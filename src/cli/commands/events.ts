import { sleepFlag } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'
import type { MasterEvent } from '../../core/events/types.js'

/** The agents and tasks of a SUBSCRIBED snapshot, as the events that would have announced them. */
function* snapshotEvents(ev: MasterEvent): Generator<MasterEvent> {
  const state = ev.subscribed?.get_state
  for (const agent of state?.get_agents?.agents ?? []) yield { type: 'AGENT_ADDED', agent_added: { agent } }
  const t = state?.get_tasks
  for (const task of [...(t?.tasks ?? []), ...(t?.unreachable_tasks ?? []), ...(t?.completed_tasks ?? [])])
    yield { type: 'TASK_ADDED', task_added: { task } }
}

export default defineCommand({
  id: 'events',
  readsCluster: true,
  streams: true,
  summary: 'Follow what happens in the cluster, until interrupted.',
  description: `By default, the master's v1 operator API event stream (SUBSCRIBE): one line per event, TIMESTAMP TYPE DETAILS (ISO-8601 UTC), e.g. "TASK_UPDATED taskmanager-00003 TASK_FAILED agent=host-7 framework=Flink"; heartbeats are hidden. --json prints each event as the master sent it, one JSON object per line. With --since-start, the agents and tasks of the master's snapshot (SUBSCRIBED) are first replayed as AGENT_ADDED and TASK_ADDED events, tasks in their current state; a snapshot too big to hold (over 128 MiB) cannot be replayed and the stream starts from now, with a note. After a master failover, a dropped connection or five missed heartbeats, the leader is resolved again and the stream resubscribed (noted on stderr).

--logs (used automatically when the master has no v1 API) follows the master's log and every agent's log through the files API every --sleep-interval seconds, under ==> SOURCE <== headers, picking up agents that join.`,
  examples: [
    'mesos events',
    'mesos events --json | jq -c "select(.type == \\"TASK_UPDATED\\") | .task_updated.state"',
    'mesos events --since-start --json | jq -r "select(.type == \\"TASK_ADDED\\") | .task_added.task.task_id.value"',
    'mesos events --logs -s 2',
  ],
  args: {},
  flags: {
    json: { kind: 'boolean', description: 'one JSON event per line (NDJSON), as received' },
    logs: { kind: 'boolean', description: 'follow master and agent logs instead of the event stream' },
    'since-start': { kind: 'boolean', description: "first replay the snapshot's agents and tasks as AGENT_ADDED and TASK_ADDED events" },
    ...sleepFlag('seconds between polls of the logs', 5),
  },
  async run({ deps, flags, render }) {
    if (!flags.logs && flags['sleep-interval'] !== 5) deps.io.warn('--sleep-interval applies to --logs only; the event stream is pushed by the master')
    if (!flags.logs) {
      const [{ followEvents }, { EventContext, formatEvent }, { safe }, { startLine }, { leaderAddress }] = await Promise.all([
        import('../../core/events/stream.js'),
        import('../render/events.js'),
        import('../../core/output/terminal.js'),
        import('../render/spinner.js'),
        import('../../core/master/resolve.js'),
      ])
      const names = new EventContext()
      let v1 = true
      let started = false
      let replay = flags['since-start']
      const show = async (event: MasterEvent, record?: Buffer) => {
        if (flags.json) await render.jsonLine(event, record)
        else {
          const line = formatEvent(event, names, deps.clock.now() / 1000)
          if (line !== undefined) await deps.io.out(`${safe(line)}\n`)
        }
      }
      for await (const item of followEvents(deps)) {
        if (item.kind === 'no-v1') {
          v1 = false
          break
        }
        if (!started) {
          started = true
          const leader = await deps.master().leader()
          startLine(deps.io, `following the events of master ${leaderAddress(leader)}; Ctrl-C to stop`)
        }
        names.learn(item.event)
        // only the first snapshot: after a resubscription the events go on where they were
        if (replay && item.kind === 'names') deps.io.note('mesos: --since-start: the snapshot is too big to replay')
        if (replay) for (const event of snapshotEvents(item.event)) await show(event)
        replay = false
        if (item.kind === 'event') await show(item.event, item.record)
      }
      if (v1) return
      deps.io.note('mesos: this master has no v1 event stream (Mesos < 1.0); following the logs instead')
    }
    const [{ followLogs }, { startLine }] = await Promise.all([import('../../core/events/logs.js'), import('../render/spinner.js')])
    startLine(deps.io, `following the master's and agents' logs every ${flags['sleep-interval']}s; Ctrl-C to stop`)
    await render.chunks(followLogs(deps, { intervalSec: flags['sleep-interval'] }), { headers: true })
  },
})
