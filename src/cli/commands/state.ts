import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'state',
  summary: "Print the master's state, or one agent's, as JSON.",
  description: `Without AGENT: the leading master's /master/state. With AGENT (a fragment of an agent ID or hostname): that agent's /state; several matching agents are an error (exit 3) that lists them.

On a terminal the JSON is indented; piped, it is written exactly as the cluster sent it.`,
  examples: ['mesos state | jq ".frameworks[].name"', 'mesos state agent-3.example.com', 'mesos state S2 | jq ".frameworks[].executors[].directory"'],
  args: { agent: { description: 'agent ID or hostname fragment', completes: 'agent' } },
  flags: { json: { kind: 'boolean', description: 'JSON output (always on; accepted for symmetry with other commands)' } },
  async run({ deps, args, render }) {
    const { agentState, masterState } = await import('../../core/cluster/state.js')
    const raw = args.agent === undefined ? await masterState(deps) : await agentState(deps, args.agent)
    if (deps.io.stdoutIsTTY) return render.json(raw.value)
    await deps.io.out(raw.bytes)
    if (raw.bytes.at(-1) !== 0x0a) await deps.io.out('\n')
  },
})
