import { listingFlags } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'agents',
  readsCluster: true,
  aliases: ['slaves'],
  summary: 'List the agents of the cluster.',
  description: `Columns: ID HOSTNAME ACTIVE (yes/no) TASKS (active tasks) CPUS MEM DISK (used/total) VERSION. On a narrow terminal long IDs and hostnames are shortened in the middle (…); --wide or a pipe keeps them whole. AGENT keeps the agents whose ID or hostname contains it (an exact ID or hostname wins).

JSON keys (docs/json.md): id, hostname, active, tasks, cpus_used, cpus_total, mem_used_bytes, mem_total_bytes, disk_used_bytes, disk_total_bytes, version.`,
  examples: ['mesos agents', 'mesos agents rack-2 --no-headers', 'mesos agents --json | jq "map(.cpus_used) | add"'],
  args: { agent: { description: 'agent ID or hostname fragment', completes: 'agent' } },
  flags: { ...listingFlags },
  async run({ deps, args, flags, render }) {
    const [{ agentRows }, { amount, humanBytes }] = await Promise.all([import('../../core/cluster/views.js'), import('../render/table.js')])
    const rows = await agentRows(deps, args.agent)
    await render.listing(
      {
        columns: [
          { header: 'ID', id: true },
          { header: 'HOSTNAME', id: true },
          { header: 'ACTIVE' },
          { header: 'TASKS', align: 'right' },
          { header: 'CPUS', align: 'right' },
          { header: 'MEM', align: 'right' },
          { header: 'DISK', align: 'right' },
          { header: 'VERSION' },
        ],
        cells: (r) => [
          r.id,
          r.hostname,
          r.active ? 'yes' : 'no',
          r.tasks === null ? '-' : String(r.tasks),
          `${amount(r.cpus_used)}/${amount(r.cpus_total)}`,
          `${humanBytes(r.mem_used_bytes)}/${humanBytes(r.mem_total_bytes)}`,
          `${humanBytes(r.disk_used_bytes)}/${humanBytes(r.disk_total_bytes)}`,
          r.version ?? '-',
        ],
      },
      { rows },
      { json: flags.json, noHeaders: flags['no-headers'], wide: flags.wide, empty: 'no agents' },
    )
  },
})
