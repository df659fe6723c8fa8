import { listingFlags } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'frameworks',
  summary: 'List the frameworks registered with the master.',
  description: `Columns: ID NAME HOST ACTIVE TASKS (active tasks) CPU MEM DISK (resources in use). With -i, completed frameworks are listed too.

JSON keys: id, name, hostname, active, completed, tasks, cpus, mem_mb, disk_mb.`,
  examples: ['mesos frameworks', 'mesos frameworks -i --json | jq ".[].name"'],
  args: {},
  flags: {
    inactive: { kind: 'boolean', char: 'i', description: 'include completed frameworks' },
    ...listingFlags,
  },
  async run({ deps, flags, render }) {
    const [{ frameworkRows }, { amount, humanMb }] = await Promise.all([import('../../core/cluster/views.js'), import('../render/table.js')])
    const rows = await frameworkRows(deps, flags.inactive)
    await render.listing(
      {
        columns: [
          { header: 'ID' },
          { header: 'NAME', shrink: true },
          { header: 'HOST' },
          { header: 'ACTIVE' },
          { header: 'TASKS', align: 'right' },
          { header: 'CPU', align: 'right' },
          { header: 'MEM', align: 'right' },
          { header: 'DISK', align: 'right' },
        ],
        cells: (r) => [
          r.id,
          r.name,
          r.hostname,
          r.active ? 'True' : 'False',
          r.tasks === null ? '-' : String(r.tasks),
          amount(r.cpus),
          humanMb(r.mem_mb),
          humanMb(r.disk_mb),
        ],
      },
      { rows },
      { json: flags.json, noHeaders: flags['no-headers'], empty: 'no frameworks' },
    )
  },
})
