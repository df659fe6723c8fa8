import { Args } from '@oclif/core'
import { MesosCommand } from '../cli/base.js'
import { listingFlags, printListing } from '../cli/listing.js'
import { taskFlags } from '../cli/task-flags.js'
import { psCommand, psExitCheck } from '../core/cluster/ps.js'
import { amount, clockTime, humanBytes } from '../core/output/table.js'

export default class Ps extends MesosCommand {
  static override summary = 'List tasks with their resource usage, as ps does for processes.'
  static override description = `Columns: TIME (CPU user+system time), STATE, RSS, CPU (the cpu limit), %MEM (RSS of the memory limit), COMMAND, USER (the framework's), ID. Statistics come from each agent's /monitor/statistics, one request per agent, max_workers agents at a time. An agent that does not answer leaves its tasks' statistics as "-" with a warning (exit 1 only when TASK names those tasks).

JSON keys: id, state, framework_id, agent_id, hostname, user, command, cpu_time_secs, rss_bytes, cpus_limit, mem_limit_bytes, mem_percent (null when unknown).`
  static override examples = ['<%= config.bin %> ps', '<%= config.bin %> ps taskmanager', '<%= config.bin %> ps -i --json | jq ".[] | select(.state == \\"TASK_FAILED\\") | .id"']
  static override args = { task: Args.string({ description: 'task filter (fragment or glob); all tasks when omitted' }) }
  static override flags = { ...taskFlags, ...listingFlags }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Ps)
    const deps = await this.setup(flags)
    const result = await psCommand(deps, args.task, flags.inactive)
    await printListing(
      deps,
      flags,
      result.rows,
      [
        { header: 'TIME', align: 'right' },
        { header: 'STATE' },
        { header: 'RSS', align: 'right' },
        { header: 'CPU', align: 'right' },
        { header: '%MEM', align: 'right' },
        { header: 'COMMAND', shrink: true },
        { header: 'USER' },
        { header: 'ID' },
      ],
      (r) => [
        clockTime(r.cpu_time_secs ?? undefined),
        r.state.replace(/^TASK_/, ''),
        r.rss_bytes === null ? '-' : humanBytes(r.rss_bytes),
        amount(r.cpus_limit ?? undefined),
        r.mem_percent === null ? '-' : r.mem_percent.toFixed(2),
        (r.command ?? '-').replace(/\s+/g, ' '),
        r.user ?? '-',
        r.id,
      ],
      flags.inactive ? 'no tasks' : 'no active tasks (add --inactive for completed ones)',
    )
    psExitCheck(result)
  }
}
