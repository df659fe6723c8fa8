import { filesArg, inactiveFlag, quietFlag, taskArg } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'cat',
  readsCluster: true,
  summary: "Print files from a task's sandbox, byte for byte.",
  description:
    'FILE defaults to stdout. Each file is streamed whole (/files/download), so binary files and files of any size come out exactly as they are. Several tasks or files are printed one after another under ==> TASK_ID:FILE <== headers (unless -q).',
  examples: ['mesos cat taskmanager-00001', 'mesos cat flink stderr', 'mesos cat -q jobmanager flink-conf.yaml > conf.yaml'],
  args: { task: taskArg, file: filesArg },
  flags: { ...inactiveFlag, ...quietFlag },
  async run({ deps, args, flags, render }) {
    const files = args.file.length > 0 ? args.file : ['stdout']
    const { catFiles } = await import('../../core/sandbox/service.js')
    const plan = await catFiles(deps, { filter: args.task, inactive: flags.inactive, files })
    await render.chunks(plan.chunks, { headers: plan.pairs > 1 && !flags.quiet })
  },
})
