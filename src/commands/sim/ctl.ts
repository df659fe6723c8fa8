import { readFileSync } from 'node:fs'
import { Args, Flags } from '@oclif/core'
import { MesosCommand } from '../../cli/base.js'
import { failure, usageError } from '../../core/errors.js'
import { ACTIONS } from '../../sim/control.js'
import { pointerFile } from '../../sim/pointer.js'

/** positional arguments of each action, in order */
const ARGS: Record<string, string[]> = {
  'stop-agent': ['agent'],
  'start-agent': ['agent'],
  'slow-agent': ['agent', 'ms'],
  'remove-agent': ['agent'],
  'unreachable-agent': ['agent'],
  'reregister-agent': ['agent'],
  'fail-endpoint': ['path', 'status'],
  launch: ['id'],
  kill: ['task'],
  fail: ['task'],
  finish: ['task'],
  append: ['task', 'file', 'text'],
  truncate: ['task', 'file', 'size'],
}

export default class SimCtl extends MesosCommand {
  static override summary = 'Control a running "mesos sim up": failover, agents, faults, tasks, files.'
  static override description = `Actions:
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
  truncate TASK FILE [SIZE]       truncate a sandbox file`
  static override strict = false
  static override examples = [
    '<%= config.bin %> sim ctl failover',
    '<%= config.bin %> sim ctl stop-agent 0',
    '<%= config.bin %> sim ctl fail-endpoint /master/state 503 --times 2',
    '<%= config.bin %> sim ctl append taskmanager-00001 stdout "hello"',
  ]
  static override args = {
    action: Args.string({ description: 'what to do', required: true, options: [...ACTIONS] }),
  }
  static override flags = {
    control: Flags.string({ description: 'control URL printed by "mesos sim up"; env MESOS_SIM_CONTROL' }),
    target: Flags.string({ description: 'fail-endpoint: masters, agents, master:N or agent:<id>' }),
    times: Flags.integer({ description: 'fail-endpoint: fail only this many requests', min: 1 }),
    framework: Flags.string({ description: 'launch: framework name or ID' }),
    agent: Flags.string({ description: 'launch: agent ID or index' }),
    command: Flags.string({ description: 'launch: the task command' }),
  }

  async run(): Promise<void> {
    const { args, flags, argv } = await this.parse(SimCtl)
    const deps = await this.setup(flags)
    const rest = (argv as string[]).slice(1)
    const body: Record<string, unknown> = {}
    const names = ARGS[args.action] ?? []
    names.forEach((name, i) => {
      if (rest[i] !== undefined) body[name] = /^(ms|status|size)$/.test(name) ? Number(rest[i]) : rest[i]
    })
    for (const k of ['target', 'times', 'framework', 'agent', 'command'] as const)
      if (flags[k] !== undefined) body[k] = flags[k]
    if (args.action === 'fail-endpoint' && (!body.path || !body.status))
      throw usageError('fail-endpoint needs PATH and STATUS')
    let url = flags.control ?? process.env.MESOS_SIM_CONTROL
    if (!url) {
      try {
        url = (JSON.parse(readFileSync(pointerFile(), 'utf8')) as { control: string }).control
      } catch {
        throw failure('no running simulator found', ['start one with: mesos sim up', 'or pass --control URL'])
      }
    }
    let res: Response
    try {
      res = await fetch(`${url}/ctl/${args.action}`, { method: 'POST', body: JSON.stringify(body) })
    } catch {
      throw failure(`cannot reach the simulator control endpoint at ${url}`, ['is "mesos sim up" still running?'])
    }
    const out = (await res.json()) as Record<string, unknown>
    if (!res.ok) throw failure(String(out.error ?? `control endpoint answered ${res.status}`))
    await deps.io.out(`${JSON.stringify(out, null, 2)}\n`)
  }
}
