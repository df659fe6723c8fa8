import { Flags } from '@oclif/core'
import { MesosCommand } from '../cli/base.js'
import { taskArg, taskFlags } from '../cli/task-flags.js'
import { SSH, sshFlags, sshFlagValues } from '../cli/ssh-flags.js'

export default class Ssh extends MesosCommand {
  static override summary = "Open a shell in a task's sandbox over SSH, or run a command there."
  static override description = `Connects to the agent that runs TASK (exactly one task must match) as OpenSSH would: options from the flags, then the profile's ssh_* keys, then ~/.ssh/config (Host, HostName, User, Port, IdentityFile, ProxyJump, StrictHostKeyChecking, UserKnownHostsFile), keys from SSH_AUTH_SOCK and ~/.ssh/id_*, host keys checked against ~/.ssh/known_hosts.

Without COMMAND: a login shell starting in the sandbox directory, with a terminal when stdin is one (piped, the shell reads its commands from stdin). With COMMAND (after --): runs it in the sandbox without a terminal (unless -t), keeps its stdout and stderr apart, forwards stdin, and exits with its exit status (128+n when killed by signal n). Each argument reaches the remote side as one literal word; for pipes or globs run a shell: -- sh -c 'ls | wc -l'.

If the sandbox no longer exists there is a warning, and the shell or command starts in the home directory.`
  static override examples = [
    '<%= config.bin %> ssh web.1',
    '<%= config.bin %> ssh web.1 -- tail -n 100 stderr',
    "<%= config.bin %> ssh -l core -J bastion.example.com taskmanager-3 -- sh -c 'du -sh *'",
    'echo hello | <%= config.bin %> ssh web.1 -- tee greeting.txt',
  ]
  static override usage = '<%= command.id %> [SSH FLAGS] TASK [-- COMMAND [ARGS...]]'
  static override strict = false
  static override args = { task: taskArg }
  static override flags = {
    ...taskFlags,
    ...sshFlags,
    tty: Flags.boolean({ char: 't', description: 'use a terminal (pty) for COMMAND too', helpGroup: SSH }),
  }

  async run(): Promise<void> {
    const { args, argv, flags } = await this.parse(Ssh)
    const deps = await this.setup(flags)
    const command = argv.slice(1).map(String)
    if (command[0] === '--') command.shift()
    const { sshToTask } = await import('../core/ssh/ssh.js')
    await sshToTask(deps, {
      filter: args.task,
      inactive: flags.inactive,
      command,
      tty: flags.tty,
      flags: sshFlagValues(flags),
    })
  }
}
