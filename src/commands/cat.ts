import { Args } from '@oclif/core'
import { catAction } from '../cli/actions.js'
import { MesosCommand } from '../cli/base.js'
import { fileArgs, quietFlag, taskArg, taskFlags } from '../cli/task-flags.js'

export default class Cat extends MesosCommand {
  static override summary = "Print files of a task's sandbox, byte for byte."
  static override description = `FILE defaults to stdout. Files are streamed whole (binary-safe, any size). With several (task, file) pairs each is preceded by ==> TASK_ID:FILE <== unless -q.`
  static override examples = [
    '<%= config.bin %> cat web.1',
    '<%= config.bin %> cat taskmanager stderr | grep -c ERROR',
    '<%= config.bin %> cat -q flink stdout stderr > all.log',
  ]
  static override strict = false
  static override args = { task: taskArg, file: Args.string({ description: 'files inside the sandbox (default stdout)' }) }
  static override flags = { ...taskFlags, ...quietFlag }

  async run(): Promise<void> {
    const { args, argv, flags } = await this.parse(Cat)
    const deps = await this.setup(flags)
    await catAction(deps, args.task, fileArgs(argv), flags)
  }
}
