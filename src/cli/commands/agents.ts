import { listingFlags } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'agents',
  aliases: ['slaves'],
  summary: 'List the agents of the cluster.',
  description: `Columns: ID HOSTNAME ACTIVE TASKS (active tasks) CPUS MEM DISK (used/total) VERSION. AGENT keeps the agents whose ID or hostname contains it (an exact ID or hostname wins).

JSON keys: id, hostname, active, tasks, cpus_used, cpus_total, mem_used_mb, mem_total_mb, disk_used_mb, disk_total_mb, version.`,
  examples: ['mesos agents', 'mesos agents rack-2 --no-headers', 'mesos agents --json | jq "map(.cpus_used) | add"'],
  args: { agent: { description: 'agent ID or hostname fragment', completes: 'agent' } },
  flags: { ...listingFlags },
  async run({ deps, args, flags, render }) {
    const [{ agentRows }, { amount, humanMb }] = await Promise.all([import('../../core/cluster/views.js'), import('../render/table.js')])
    const rows = await agentRows(deps, args.agent)
    await render.listing(
      {
        columns: [
          { header: 'ID' },
          { header: 'HOSTNAME' },
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
          r.active ? 'True' : 'False',
          r.tasks === null ? '-' : String(r.tasks),
          `${amount(r.cpus_used)}/${amount(r.cpus_total)}`,
          `${humanMb(r.mem_used_mb)}/${humanMb(r.mem_total_mb)}`,
          `${humanMb(r.disk_used_mb)}/${humanMb(r.disk_total_mb)}`,
          r.version ?? '-',
        ],
      },
      { rows },
      { json: flags.json, noHeaders: flags['no-headers'], empty: 'no agents' },
    )
  },
})
