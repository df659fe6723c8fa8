import { Args, Flags } from '@oclif/core'
import { MesosCommand } from '../cli/base.js'
import { agentState, masterState } from '../core/cluster/state.js'
import { formatJson } from '../core/output/json.js'

export default class State extends MesosCommand {
  static override summary = "Print the master's state, or one agent's, as JSON."
  static override description =
    `Without AGENT: the leading master's /master/state. With AGENT (a fragment of an agent ID or hostname): that agent's /state; several matching agents are an error (exit 3) that lists them.

On a terminal the JSON is indented; piped, it is written exactly as the cluster sent it.`
  static override examples = [
    '<%= config.bin %> state | jq ".frameworks[].name"',
    '<%= config.bin %> state agent-3.example.com',
    '<%= config.bin %> state S2 | jq ".frameworks[].executors[].directory"',
  ]
  static override args = {
    agent: Args.string({ description: 'agent ID or hostname fragment' }),
  }
  static override flags = {
    json: Flags.boolean({
      description: 'JSON output (always on; accepted for symmetry with other commands)',
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(State)
    const deps = await this.setup(flags)
    const raw = args.agent === undefined ? await masterState(deps) : await agentState(deps, args.agent)
    if (deps.io.stdoutIsTTY) await deps.io.out(formatJson(raw.value))
    else {
      await deps.io.out(raw.bytes)
      if (raw.bytes.at(-1) !== 0x0a) await deps.io.out('\n')
    }
  }
}
