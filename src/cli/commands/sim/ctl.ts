import { failure, usageError } from '../../../core/errors.js'
import { ACTION_ARGS, ACTIONS, NUMERIC_ARGS } from '../../../sim/actions.js'
import { defineCommand } from '../../grammar/types.js'

export default defineCommand({
  id: 'sim ctl',
  summary: 'Control a running simulator: failover, agents, faults, tasks, files.',
  description: `Actions:
  status                          leader, agents, active tasks
  failover                        the leading master loses leadership; the next one leads
  stop-agent AGENT                the agent's port refuses connections (AGENT: ID or index)
  start-agent AGENT               bring it back
  slow-agent AGENT MS             add MS milliseconds of latency to every request
  add-agent                       a new agent registers (AGENT_ADDED)
  unreachable-agent AGENT         partition: port dark, agent unreachable, its tasks TASK_UNREACHABLE
  reregister-agent AGENT          the partition heals; tasks TASK_RUNNING again
  remove-agent AGENT              the master removes the agent (AGENT_REMOVED, tasks TASK_LOST)
  fail-endpoint PATH STATUS       answer PATH with STATUS (--target masters|agents|agent:<id>, --times N)
  clear-faults                    remove every injected failure
  launch [ID]                     launch a task (--framework, --agent, --command)
  kill TASK | fail TASK | finish TASK
  append TASK FILE TEXT           append TEXT to a sandbox file
  truncate TASK FILE [SIZE]       truncate a sandbox file`,
  examples: [
    'mesos sim ctl failover',
    'mesos sim ctl stop-agent 0',
    'mesos sim ctl fail-endpoint /master/state 503 --times 2',
    'mesos sim ctl append taskmanager-00001 stdout "hello"',
  ],
  usage: 'ACTION [ARGS...] [FLAGS]',
  globals: ['debug', 'no-color'],
  args: {
    action: { description: 'what to do', required: true, options: ACTIONS },
    values: { description: "the action's arguments", variadic: true, label: 'ARGS' },
  },
  flags: {
    control: { kind: 'string', description: 'control URL printed by "mesos sim up" (needed when several run); env MESOS_SIM_CONTROL' },
    target: { kind: 'string', description: 'fail-endpoint: masters, agents, master:N or agent:<id>' },
    times: { kind: 'integer', description: 'fail-endpoint: fail only this many requests', min: 1 },
    framework: { kind: 'string', description: 'launch: framework name or ID' },
    agent: { kind: 'string', description: 'launch: agent ID or index' },
    command: { kind: 'string', description: 'launch: the task command', emptyOk: true },
  },
  async run({ deps, args, flags, render }) {
    const action = args.action as (typeof ACTIONS)[number]
    const names = ACTION_ARGS[action] ?? []
    if (args.values.length > names.length)
      throw usageError(
        `unexpected argument "${args.values[names.length]}" (${action} takes ${names.length === 0 ? 'no arguments' : names.map((n) => n.toUpperCase()).join(' ')})`,
        ['mesos sim ctl --help'],
      )
    const body: Record<string, unknown> = {}
    names.forEach((name, i) => {
      const v = args.values[i]
      if (v !== undefined) body[name] = NUMERIC_ARGS.has(name) ? Number(v) : v
    })
    for (const k of ['target', 'times', 'framework', 'agent', 'command'] as const) if (flags[k] !== undefined) body[k] = flags[k]
    if (action === 'fail-endpoint' && (!body.path || !body.status)) throw usageError('fail-endpoint needs PATH and STATUS', ['mesos sim ctl --help'])
    let url = flags.control ?? deps.env.MESOS_SIM_CONTROL
    if (!url) {
      const { liveSimulators } = await import('../../../sim/pointer.js')
      const live = liveSimulators()
      if (live.length === 0) throw failure('no running simulator found', ['start one with: mesos sim up', 'or pass --control URL'])
      if (live.length > 1)
        throw usageError(
          `${live.length} simulators are running; choose one with --control`,
          live.map((p) => `mesos sim ctl ${action} --control ${p.control}   # pid ${p.pid}${p.leader ? `, master ${p.leader}` : ''}`),
        )
      url = live[0]!.control
    }
    let res: Response
    try {
      res = await fetch(`${url}/ctl/${action}`, { method: 'POST', body: JSON.stringify(body) })
    } catch {
      throw failure(`cannot reach the simulator control endpoint at ${url}`, ['is "mesos sim up" still running?'])
    }
    const out = (await res.json()) as Record<string, unknown>
    if (!res.ok) throw failure(String(out.error ?? `control endpoint answered ${res.status}`))
    await render.json(out)
  },
})
