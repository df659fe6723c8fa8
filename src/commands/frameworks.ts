import { Flags } from '@oclif/core'
import { MesosCommand } from '../cli/base.js'
import { listingFlags, printListing } from '../cli/listing.js'
import { frameworksCommand } from '../core/cluster/views.js'
import { amount, humanMb } from '../core/output/table.js'

export default class Frameworks extends MesosCommand {
  static override summary = 'List the frameworks registered with the master.'
  static override description = `Columns: ID NAME HOST ACTIVE TASKS (active tasks) CPU MEM DISK (resources in use). With -i, completed frameworks are listed too.

JSON keys: id, name, hostname, active, completed, tasks, cpus, mem_mb, disk_mb.`
  static override examples = ['<%= config.bin %> frameworks', '<%= config.bin %> frameworks -i --json | jq ".[].name"']
  static override flags = {
    inactive: Flags.boolean({ char: 'i', description: 'include completed frameworks' }),
    ...listingFlags,
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Frameworks)
    const deps = await this.setup(flags)
    const rows = await frameworksCommand(deps, flags.inactive)
    await printListing(
      deps,
      flags,
      rows,
      [
        { header: 'ID' },
        { header: 'NAME', shrink: true },
        { header: 'HOST' },
        { header: 'ACTIVE' },
        { header: 'TASKS', align: 'right' },
        { header: 'CPU', align: 'right' },
        { header: 'MEM', align: 'right' },
        { header: 'DISK', align: 'right' },
      ],
      (r) => [
        r.id,
        r.name,
        r.hostname,
        r.active ? 'True' : 'False',
        r.tasks === null ? '-' : String(r.tasks),
        amount(r.cpus),
        humanMb(r.mem_mb),
        humanMb(r.disk_mb),
      ],
      'no frameworks',
    )
  }
}
