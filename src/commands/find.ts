import { Args, Flags } from '@oclif/core'
import { listAction } from '../cli/actions.js'
import { MesosCommand } from '../cli/base.js'
import { quietFlag, taskArg, taskFlags } from '../cli/task-flags.js'

export default class Find extends MesosCommand {
  static override summary = "List every file and directory below PATH in a task's sandbox."
  static override description = `Recursive, depth first, one path per line, relative to the sandbox root (so they can be given to cat, head and tail).`
  static override examples = ['<%= config.bin %> find taskmanager-00001', '<%= config.bin %> find flink logs | grep .log$']
  static override args = { task: taskArg, path: Args.string({ description: 'directory inside the sandbox' }) }
  static override flags = {
    ...taskFlags,
    ...quietFlag,
    json: Flags.boolean({ description: 'JSON array of {task_id, path, mode, nlink, uid, gid, size, mtime}' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Find)
    const deps = await this.setup(flags)
    await listAction(deps, args.task, args.path, flags, true)
  }
}
