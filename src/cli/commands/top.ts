import { inactiveFlag, jsonFlag, MAX_SECONDS } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'top',
  readsCluster: true,
  streams: true,
  summary: 'Show tasks by CPU use, live, as top does for processes.',
  description: `%CPU is the CPU time (user + system) an executor spent between two polls of its agent's /monitor/statistics, over the time between them (100 = one core), so the first figures appear after one interval. Also: CPUS (the cpu limit), TIME (CPU time so far), RSS, %MEM (RSS of the memory limit), STATE, HOST, ID; sorted by %CPU. Each interval costs one statistics request per agent running a matching task (max_workers at a time); the task list is re-read every 5 polls.

On a terminal the view fills the screen and refreshes every --sleep-interval seconds; q or Ctrl-C leaves it and restores the screen. Keys change the order at once: c %CPU (the default), m RSS, t TIME (largest first), n ID, s STATE, and r reverses it; the first line says which order is shown. Piped (or with --json) it polls twice, one interval apart, and prints one snapshot: a table, or a JSON array with the keys id, state, framework_id, agent_id, hostname, cpu_percent, cpus_limit, cpu_time_secs, rss_bytes, mem_limit_bytes, mem_percent (null when unknown). An agent that does not answer leaves its tasks' figures as "-" and makes the exit status 1.`,
  examples: ['mesos top', 'mesos top taskmanager -s 5', 'mesos top -s 1 --json | jq ".[0]"', 'mesos top flink | head -5'],
  args: { task: { description: 'task filter (fragment or glob); all tasks when omitted', completes: 'task' } },
  flags: {
    ...inactiveFlag,
    'sleep-interval': { kind: 'seconds', char: 's', description: 'seconds between polls', default: 2, max: MAX_SECONDS },
    ...jsonFlag,
    'no-headers': { kind: 'boolean', description: 'no header row (snapshot table)' },
  },
  async run({ deps, args, flags, render }) {
    const { TopSampler } = await import('../../core/cluster/top.js')
    const sampler = new TopSampler(deps, args.task, flags.inactive)
    const interval = flags['sleep-interval']
    if (deps.io.stdoutIsTTY && !flags.json) {
      const { runTopScreen } = await import('../render/top-screen.js')
      return runTopScreen(deps, sampler, interval)
    }
    const { TOP_COLUMNS, topCells } = await import('../render/top-columns.js')
    await sampler.poll()
    deps.io.status?.(`measuring CPU use over ${interval}s`)
    await deps.clock.sleep(interval * 1000, deps.signal)
    deps.io.status?.('waiting for the agents')
    const snap = await sampler.poll()
    await render.listing({ columns: TOP_COLUMNS, cells: topCells }, snap, {
      json: flags.json,
      noHeaders: flags['no-headers'],
      empty: flags.inactive ? 'no tasks' : 'no active tasks',
    })
  },
})
