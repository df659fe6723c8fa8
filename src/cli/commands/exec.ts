import { taskArg } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'exec',
  readsCluster: true,
  summary: "Run a command inside a running task's container.",
  description: `Runs COMMAND in a new nested container of TASK's container over the agent's v1 API (LAUNCH_NESTED_CONTAINER_SESSION), as Mesos' own CLI does: it sees the task's filesystem, mounts and sandbox, and needs neither sshd nor SSH access to the agent. TASK must match exactly one running task (exit 3 otherwise). COMMAND and its arguments reach the container as one argv, words as given: for pipes or globs run a shell, -- sh -c 'ls | wc -l'. Every word from COMMAND on is its own, flags included, so -- is needed only when COMMAND itself starts with a dash.

stdout and stderr are relayed apart, byte for byte, and mesos exits with the command's exit status (128+N when it was killed by signal N). -i forwards stdin until it ends. -t gives the command a terminal: with -i this terminal is in raw mode (Ctrl-C goes to the command) and follows its window size; it is restored however mesos ends. Without -t, Ctrl-C ends the command (closing the session destroys its container) and exits 130.

Needs the Mesos containerizer and agents running Mesos 1.2 or later; a task that is not running, a Docker task, an old agent, or a principal that may not launch sessions (401/403) is a one-line error, exit 1.`,
  examples: [
    'mesos exec taskmanager-00001 ls -la',
    "mesos exec taskmanager-00001 -- sh -c 'ps aux | grep java'",
    'mesos exec -it flink. bash',
    'tar c ./conf | mesos exec -i taskmanager-00001 -- tar x -C /tmp',
  ],
  usage: '[-i] [-t] TASK [--] COMMAND [ARGS...]',
  args: {
    task: { ...taskArg, completes: 'running-task' },
    command: { description: 'the command and its arguments', required: true, rest: true, label: 'COMMAND' },
  },
  flags: {
    interactive: { kind: 'boolean', char: 'i', description: 'forward stdin to the command until it ends' },
    tty: { kind: 'boolean', char: 't', description: 'give the command a terminal (raw mode here with -i)' },
  },
  async run({ deps, args, flags }) {
    const { execInTask } = await import('../../core/container/run.js')
    await execInTask(deps, { filter: args.task, command: args.command, interactive: flags.interactive, tty: flags.tty })
  },
})
