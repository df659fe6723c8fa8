import { Args } from '@oclif/core'
import { headAction } from '../cli/actions.js'
import { MesosCommand } from '../cli/base.js'
import { fileArgs, linesFlag, quietFlag, taskArg, taskFlags } from '../cli/task-flags.js'

export default class Head extends MesosCommand {
  static override summary = "Print the first lines of files in a task's sandbox."
  static override description = `FILE defaults to stdout. Reads 64 KiB at a time and stops as soon as it has N lines.`
  static override examples = ['<%= config.bin %> head web.1', '<%= config.bin %> head -n 50 taskmanager-00002 flink-taskmanager.log']
  static override strict = false
  static override args = { task: taskArg, file: Args.string({ description: 'files inside the sandbox (default stdout)' }) }
  static override flags = {
    ...taskFlags,
    ...quietFlag,
    ...linesFlag,
  }

  async run(): Promise<void> {
    const { args, argv, flags } = await this.parse(Head)
    const deps = await this.setup(flags)
    await headAction(deps, args.task, fileArgs(argv), flags)
  }
}
