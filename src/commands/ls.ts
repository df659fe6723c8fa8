import { Args, Flags } from '@oclif/core'
import { listAction } from '../cli/actions.js'
import { MesosCommand } from '../cli/base.js'
import { quietFlag, taskArg, taskFlags } from '../cli/task-flags.js'

export default class Ls extends MesosCommand {
  static override summary = "List a task's sandbox, ls -la style."
  static override description = `One line per entry: MODE NLINK UID GID SIZE MON DD HH:MM NAME, names relative to PATH (default: the sandbox root). Several matching tasks are listed one after another under ==> TASK_ID <== headers.`
  static override examples = [
    '<%= config.bin %> ls taskmanager-00001',
    '<%= config.bin %> ls flink logs',
    '<%= config.bin %> ls -i "web.*" --json | jq ".[].path"',
  ]
  static override args = { task: taskArg, path: Args.string({ description: 'directory (or file) inside the sandbox' }) }
  static override flags = {
    ...taskFlags,
    ...quietFlag,
    json: Flags.boolean({ description: 'JSON array of {task_id, path, mode, nlink, uid, gid, size, mtime}' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Ls)
    const deps = await this.setup(flags)
    await listAction(deps, args.task, args.path, flags, false)
  }
}
