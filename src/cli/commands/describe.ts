import { inactiveFlag, jsonFlag, pagerFlag, taskArg } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'describe',
  readsCluster: true,
  summary: "Show everything about a task: where it runs, its container and sandbox, and why it changed state.",
  description: `For each task matching TASK: ID, name, state, and right below it the latest failure (state, time, message, reason, source), then framework (name and ID), agent (hostname and ID), executor, container ID and type, user, the sandbox's real directory on the agent and its /frameworks/... path in the agent's files API, resources, labels, discovery info and ports, health check, and the status history (time, state, source, reason, message).

Status sources, reasons and messages come from the master's v1 API (GET_TASKS); where it is closed to the principal (401/403) or missing (before Mesos 1.0), a note says so and the v0 statuses are shown without them. The sandbox directory is read from the agent's state. On a terminal the text goes through a pager (MESOS_PAGER, PAGER, else less -FRX) unless --no-pager.

JSON (--json): an array, one object per task, keys: id, name, state, framework_id, framework_name, agent_id, hostname, executor_id, command_executor, container_id (parent chain joined with dots, as Mesos writes it), container_type, tty, user, sandbox, sandbox_virtual, resources {cpus, mem_bytes, disk_bytes, gpus, ports [{begin, end}]}, labels [{key, value}], discovery {name, visibility, ports [{number, protocol, name}]}, health_check (as the master sent it), healthy, failure, statuses [{state, timestamp, source, reason, message}]; times are ISO-8601 UTC strings, unknown values null.`,
  examples: [
    'mesos describe taskmanager-00003 -i',
    'mesos describe flink-sql-client --no-pager',
    'mesos describe -i taskmanager --json | jq -r ".[] | select(.failure) | [.id, .failure.message] | @tsv"',
  ],
  args: { task: taskArg },
  flags: {
    ...inactiveFlag,
    ...jsonFlag,
    ...pagerFlag,
  },
  async run({ deps, args, flags, render }) {
    const { describeTasks } = await import('../../core/cluster/describe.js')
    const result = await describeTasks(deps, { filter: args.task, inactive: flags.inactive })
    if (flags.json) await render.json(result.tasks)
    else {
      const [{ describeText }, { paged }, { createRender }] = await Promise.all([
        import('./describe-text.js'),
        import('../render/pager.js'),
        import('../render/render.js'),
      ])
      const text = result.tasks.map(describeText).join('\n')
      await paged(deps.io, deps.env, flags['no-pager'], (io) => createRender(io).text(text))
    }
    if (result.problem) throw result.problem
  },
})
