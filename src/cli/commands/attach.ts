import { taskArg } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'attach',
  readsCluster: true,
  summary: 'Attach this terminal to a task that was launched with a TTY.',
  description: `Connects to the terminal of TASK (exactly one running task launched with a TTY, such as a console) over the agent's v1 API (ATTACH_CONTAINER_OUTPUT and ATTACH_CONTAINER_INPUT): its output appears here, keystrokes go to it in raw mode, and its window follows this one. Ctrl-P Ctrl-Q detaches and leaves the task running; when the task ends, so does attach. The terminal is restored however mesos ends.

--no-stdin only watches: nothing is sent to the task, and Ctrl-C ends the watching.

A task without a TTY has no terminal to attach to (exit 1): read its output with mesos tail -f, or run a command next to it with mesos exec.`,
  examples: ['mesos attach flink-sql-client', 'mesos attach --no-stdin flink-sql-client'],
  args: { task: { ...taskArg, completes: 'running-task' } },
  flags: {
    'no-stdin': { kind: 'boolean', description: 'do not send input; only show the output' },
  },
  async run({ deps, args, flags }) {
    const { attachToTask } = await import('../../core/container/run.js')
    await attachToTask(deps, { filter: args.task, stdin: !flags['no-stdin'] })
  },
})
