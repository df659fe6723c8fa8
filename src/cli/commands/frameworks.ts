import { listingFlags } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'frameworks',
  readsCluster: true,
  summary: 'List the frameworks registered with the master.',
  description: `Columns: ID NAME HOST ACTIVE (yes/no) TASKS (active tasks) CPU MEM DISK (resources in use). With -i, completed frameworks are listed too. On a narrow terminal NAME is cut first, then long IDs are shortened in the middle (…); --wide or a pipe keeps them whole.

JSON keys (docs/json.md): id, name, hostname, active, completed, tasks, cpus_used, mem_used_bytes, disk_used_bytes.`,
  examples: ['mesos frameworks', 'mesos frameworks -i --json | jq ".[].name"'],
  args: {},
  flags: {
    inactive: { kind: 'boolean', char: 'i', description: 'include completed frameworks' },
    ...listingFlags,
  },
  async run({ deps, flags, render }) {
    const [{ frameworkRows }, { amount, humanBytes }] = await Promise.all([import('../../core/cluster/views.js'), import('../render/table.js')])
    const rows = await frameworkRows(deps, flags.inactive)
    await render.listing(
      {
        columns: [
          { header: 'ID', id: true },
          { header: 'NAME', shrink: true },
          { header: 'HOST', id: true },
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
          r.active ? 'yes' : 'no',
          r.tasks === null ? '-' : String(r.tasks),
          amount(r.cpus_used),
          humanBytes(r.mem_used_bytes),
          humanBytes(r.disk_used_bytes),
        ],
      },
      { rows },
      { json: flags.json, noHeaders: flags['no-headers'], wide: flags.wide, empty: 'no frameworks' },
    )
  },
})
