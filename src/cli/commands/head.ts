import { filesArg, inactiveFlag, linesFlag, quietFlag, taskArg } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'head',
  readsCluster: true,
  summary: "Print the first lines of files in a task's sandbox.",
  description: 'FILE defaults to stdout. Reads 64 KiB at a time and stops as soon as it has N lines.',
  examples: ['mesos head web.1', 'mesos head -n 50 taskmanager-00002 flink-taskmanager.log'],
  args: { task: taskArg, file: filesArg },
  flags: { ...inactiveFlag, ...quietFlag, ...linesFlag },
  async run({ deps, args, flags, render }) {
    const files = args.file.length > 0 ? args.file : ['stdout']
    const { linesOf } = await import('../../core/sandbox/service.js')
    const plan = await linesOf(deps, { filter: args.task, inactive: flags.inactive, files, lines: flags.lines, from: 'head' })
    await render.chunks(plan.chunks, { headers: plan.pairs > 1 && !flags.quiet })
  },
})
