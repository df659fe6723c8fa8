import { inactiveFlag, taskArg } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'
import { sshFlags, sshFlagValues } from './ssh-flags.js'

export default defineCommand({
  id: 'ssh',
  readsCluster: true,
  summary: "Open a shell in a task's sandbox over SSH, or run a command there.",
  description: `Connects to the agent that runs TASK (exactly one task must match) as OpenSSH would: options from the flags, then the profile's ssh_* keys, then ~/.ssh/config (Host, HostName, User, Port, IdentityFile, ProxyJump, StrictHostKeyChecking, UserKnownHostsFile), keys from SSH_AUTH_SOCK and ~/.ssh/id_*, host keys checked against ~/.ssh/known_hosts.

Without COMMAND: a login shell starting in the sandbox directory, with a terminal when stdin is one (piped, the shell reads its commands from stdin). With COMMAND (after --): runs it in the sandbox without a terminal (unless -t), keeps its stdout and stderr apart, forwards stdin, and exits with its exit status (128+n when killed by signal n). Each argument reaches the remote side as one literal word; for pipes or globs run a shell: -- sh -c 'ls | wc -l'.

If the sandbox no longer exists there is a warning, and the shell or command starts in the home directory.`,
  examples: [
    'mesos ssh web.1',
    'mesos ssh web.1 -- tail -n 100 stderr',
    "mesos ssh -l core -J bastion.example.com taskmanager-3 -- sh -c 'du -sh *'",
    'echo hello | mesos ssh web.1 -- tee greeting.txt',
  ],
  usage: '[SSH FLAGS] TASK [-- COMMAND [ARGS...]]',
  args: {
    task: taskArg,
    command: { description: 'command and arguments to run in the sandbox (after --)', rest: true },
  },
  flags: {
    ...inactiveFlag,
    ...sshFlags,
    tty: { kind: 'boolean', char: 't', description: 'use a terminal (pty) for COMMAND too', group: 'SSH' },
  },
  async run({ deps, args, flags }) {
    const { sshToTask } = await import('../../core/ssh/ssh.js')
    await sshToTask(deps, { filter: args.task, inactive: flags.inactive, command: args.command, tty: flags.tty, flags: sshFlagValues(flags) })
  },
})
