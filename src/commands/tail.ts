import { Args, Flags } from '@oclif/core'
import { tailAction } from '../cli/actions.js'
import { MesosCommand } from '../cli/base.js'
import { secondsFlag } from '../cli/seconds.js'
import { fileArgs, linesFlag, quietFlag, taskArg, taskFlags } from '../cli/task-flags.js'

export default class Tail extends MesosCommand {
  static override summary = "Print the last lines of files in a task's sandbox; -f follows them."
  static override description = `FILE defaults to stdout. Reads backwards from the end in 64 KiB windows: a typical tail costs one size request and one read, whatever the file size.

With -f, keeps polling every --sleep-interval seconds: prints appended lines, follows tasks that start later from their first byte, restarts a file that shrank (with a notice), and rides out agents and masters that stop answering. ==> TASK_ID:FILE <== headers appear when the source changes (unless -q). Ctrl-C ends it.`
  static override examples = [
    '<%= config.bin %> tail taskmanager-00001',
    '<%= config.bin %> tail -f taskmanager',
    '<%= config.bin %> tail -n 100 -f flink stdout stderr',
    '<%= config.bin %> tail -q -n 0 -f "web.*" | grep --line-buffered ERROR',
  ]
  static override strict = false
  static override args = { task: taskArg, file: Args.string({ description: 'files inside the sandbox (default stdout)' }) }
  static override flags = {
    ...taskFlags,
    ...quietFlag,
    ...linesFlag,
    follow: Flags.boolean({ char: 'f', description: 'keep printing appended lines, and follow new matching tasks' }),
    'sleep-interval': secondsFlag('sleep-interval', { char: 's', description: 'seconds between polls with -f', default: 1 }),
  }

  async run(): Promise<void> {
    const { args, argv, flags } = await this.parse(Tail)
    const deps = await this.setup(flags)
    await tailAction(deps, args.task, fileArgs(argv), { ...flags, sleepInterval: flags['sleep-interval'] })
  }
}
