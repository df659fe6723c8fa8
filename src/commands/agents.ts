import { Args } from '@oclif/core'
import { MesosCommand } from '../cli/base.js'
import { listingFlags, printListing } from '../cli/listing.js'
import { agentsCommand } from '../core/cluster/views.js'
import { amount, humanMb } from '../core/output/table.js'

export default class Agents extends MesosCommand {
  static override summary = 'List the agents of the cluster.'
  static override description = `Columns: ID HOSTNAME ACTIVE TASKS (active tasks) CPUS MEM DISK (used/total) VERSION. AGENT keeps the agents whose ID or hostname contains it (an exact ID or hostname wins).

JSON keys: id, hostname, active, tasks, cpus_used, cpus_total, mem_used_mb, mem_total_mb, disk_used_mb, disk_total_mb, version.`
  static override aliases = ['slaves']
  static override examples = ['<%= config.bin %> agents', '<%= config.bin %> agents rack-2 --no-headers', '<%= config.bin %> agents --json | jq "map(.cpus_used) | add"']
  static override args = { agent: Args.string({ description: 'agent ID or hostname fragment' }) }
  static override flags = { ...listingFlags }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Agents)
    const deps = await this.setup(flags)
    const rows = await agentsCommand(deps, args.agent)
    await printListing(
      deps,
      flags,
      rows,
      [
        { header: 'ID' },
        { header: 'HOSTNAME' },
        { header: 'ACTIVE' },
        { header: 'TASKS', align: 'right' },
        { header: 'CPUS', align: 'right' },
        { header: 'MEM', align: 'right' },
        { header: 'DISK', align: 'right' },
        { header: 'VERSION' },
      ],
      (r) => [
        r.id,
        r.hostname,
        r.active ? 'True' : 'False',
        r.tasks === null ? '-' : String(r.tasks),
        `${amount(r.cpus_used)}/${amount(r.cpus_total)}`,
        `${humanMb(r.mem_used_mb)}/${humanMb(r.mem_total_mb)}`,
        `${humanMb(r.disk_used_mb)}/${humanMb(r.disk_total_mb)}`,
        r.version ?? '-',
      ],
      'no agents',
    )
  }
}
