import { Flags } from '@oclif/core'
import { MesosCommand } from '../cli/base.js'
import { secondsFlag } from '../cli/seconds.js'
import { followLogs } from '../core/events/logs.js'
import { followEvents } from '../core/events/stream.js'

export default class Events extends MesosCommand {
  static override summary = 'Follow what happens in the cluster, until interrupted.'
  static override description = `By default, the master's v1 operator API event stream (SUBSCRIBE): one line per event, TIMESTAMP TYPE DETAILS (ISO-8601 UTC), e.g. "TASK_UPDATED taskmanager-00003 TASK_FAILED agent=host-7 framework=Flink"; heartbeats are hidden. --json prints each event as the master sent it, one JSON object per line. After a master failover, a dropped connection or five missed heartbeats, the leader is resolved again and the stream resubscribed (noted on stderr).

--logs (used automatically when the master has no v1 API) follows the master's log and every agent's log through the files API every --sleep-interval seconds, under ==> SOURCE <== headers, picking up agents that join.`
  static override examples = [
    '<%= config.bin %> events',
    '<%= config.bin %> events --json | jq -c "select(.type == \\"TASK_UPDATED\\") | .task_updated.state"',
    '<%= config.bin %> events --logs -s 2',
  ]
  static override flags = {
    json: Flags.boolean({ description: 'one JSON event per line (NDJSON), as received' }),
    logs: Flags.boolean({ description: 'follow master and agent logs instead of the event stream' }),
    'sleep-interval': secondsFlag('sleep-interval', { char: 's', description: 'seconds between polls of the logs', default: 5 }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Events)
    const deps = await this.setup(flags)
    if (!flags.logs) {
      const outcome = await followEvents(deps, { json: flags.json })
      if (outcome === 'done') return
      deps.io.note('mesos: this master has no v1 event stream (Mesos < 1.0); following the logs instead')
    }
    await followLogs(deps, { intervalSec: flags['sleep-interval'] })
  }
}
