import { filesArg, inactiveFlag, linesFlag, quietFlag, sleepFlag, taskArg } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'tail',
  summary: "Print the last lines of files in a task's sandbox; -f follows them.",
  description: `FILE defaults to stdout. Reads backwards from the end in 64 KiB windows: a typical tail costs one size request and one read, whatever the file size.

With -f, keeps polling every --sleep-interval seconds: prints appended lines, follows tasks that start later from their first byte, restarts a file that shrank (with a notice), and rides out agents and masters that stop answering. ==> TASK_ID:FILE <== headers appear when the source changes (unless -q). Ctrl-C ends it.`,
  examples: [
    'mesos tail taskmanager-00001',
    'mesos tail -f taskmanager',
    'mesos tail -n 100 -f flink stdout stderr',
    'mesos tail -q -n 0 -f "web.*" | grep --line-buffered ERROR',
  ],
  args: { task: taskArg, file: filesArg },
  flags: {
    ...inactiveFlag,
    ...quietFlag,
    ...linesFlag,
    follow: { kind: 'boolean', char: 'f', description: 'keep printing appended lines, and follow new matching tasks' },
    ...sleepFlag('seconds between polls with -f', 1),
  },
  async run({ deps, args, flags, render }) {
    const files = args.file.length > 0 ? args.file : ['stdout']
    const query = { filter: args.task, inactive: flags.inactive, files, lines: flags.lines }
    if (flags.follow) {
      const { followFiles } = await import('../../core/sandbox/follow.js')
      const chunks = followFiles(deps, { ...query, intervalSec: flags['sleep-interval'] })
      return render.chunks(chunks, { headers: !flags.quiet })
    }
    const { linesOf } = await import('../../core/sandbox/service.js')
    const plan = await linesOf(deps, { ...query, from: 'tail' })
    await render.chunks(plan.chunks, { headers: plan.pairs > 1 && !flags.quiet })
  },
})
