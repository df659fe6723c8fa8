import { inactiveFlag, listingFlags } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'ps',
  readsCluster: true,
  summary: 'List tasks with their resource usage, as ps does for processes.',
  description: `Columns: TIME (CPU user+system time), STATE, RSS, CPU (the cpu limit), %MEM (RSS of the memory limit), COMMAND, USER (the framework's), ID. On a narrow terminal COMMAND is cut first, then long task IDs are shortened in the middle (…); --wide or a pipe keeps them whole. Statistics come from each agent's /monitor/statistics, one request per agent, max_workers agents at a time. An agent that does not answer leaves its tasks' statistics as "-" with a warning, and the exit status is 1 (a partial answer).

With -i, a FRAMEWORK column (the framework's name) appears when the tasks belong to several frameworks. --wide never shortens a column and adds MESSAGE, the last status message of each failed task (from the master's v1 API).

JSON keys (docs/json.md): id, state, framework_id, framework_name, agent_id, hostname, user, command, cpu_time_secs, rss_bytes, cpus_limit, mem_limit_bytes, mem_percent, message (null when unknown; message is looked up only with --wide).`,
  examples: ['mesos ps', 'mesos ps taskmanager', 'mesos ps -i --wide', 'mesos ps -i --json | jq ".[] | select(.state == \\"TASK_FAILED\\") | .id"'],
  args: { task: { description: 'task filter (fragment or glob); all tasks when omitted', completes: 'task' } },
  flags: {
    ...inactiveFlag,
    ...listingFlags,
    wide: { ...listingFlags.wide, description: 'never shorten columns; add the last message of failed tasks' },
  },
  async run({ deps, args, flags, render }) {
    const [{ taskUsage }, { amount, clockTime, humanBytes }] = await Promise.all([
      import('../../core/cluster/ps.js'),
      import('../render/table.js'),
    ])
    const result = await taskUsage(deps, args.task, flags.inactive, { messages: flags.wide })
    const frameworkColumn = flags.inactive && result.frameworks > 1
    const messageColumn = flags.wide && result.messages
    await render.listing(
      {
        columns: [
          { header: 'TIME', align: 'right' },
          { header: 'STATE' },
          { header: 'RSS', align: 'right' },
          { header: 'CPU', align: 'right' },
          { header: '%MEM', align: 'right' },
          { header: 'COMMAND', shrink: !flags.wide },
          { header: 'USER' },
          ...(frameworkColumn ? [{ header: 'FRAMEWORK' }] : []),
          { header: 'ID', id: true },
          ...(messageColumn ? [{ header: 'MESSAGE', shrink: true }] : []),
        ],
        cells: (r) => [
          clockTime(r.cpu_time_secs ?? undefined),
          r.state.replace(/^TASK_/, ''),
          r.rss_bytes === null ? '-' : humanBytes(r.rss_bytes),
          amount(r.cpus_limit ?? undefined),
          r.mem_percent === null ? '-' : r.mem_percent.toFixed(2),
          (r.command ?? '-').replace(/\s+/g, ' '),
          r.user ?? '-',
          ...(frameworkColumn ? [r.framework_name || r.framework_id] : []),
          r.id,
          ...(messageColumn ? [r.message ?? '-'] : []),
        ],
      },
      result,
      { json: flags.json, noHeaders: flags['no-headers'], wide: flags.wide, empty: flags.inactive ? 'no tasks' : 'no active tasks (add --inactive for completed ones)' },
    )
  },
})
