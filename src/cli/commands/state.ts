import { pagerFlag } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'state',
  readsCluster: true,
  summary: "Print the master's state, or one agent's, as JSON.",
  description: `Without AGENT: the leading master's /master/state. With AGENT (a fragment of an agent ID or hostname): that agent's /state; several matching agents are an error (exit 3) that lists them.

On a terminal the JSON is indented and goes through a pager (MESOS_PAGER, PAGER, else less -FRX; --no-pager to turn it off); piped, it is written exactly as the cluster sent it.`,
  examples: ['mesos state | jq ".frameworks[].name"', 'mesos state agent-3.example.com', 'mesos state S2 | jq ".frameworks[].executors[].directory"'],
  args: { agent: { description: 'agent ID or hostname fragment', completes: 'agent' } },
  flags: {
    json: { kind: 'boolean', description: 'JSON output (always on; accepted for symmetry with other commands)' },
    ...pagerFlag,
  },
  async run({ deps, args, flags }) {
    const [{ agentState, masterState }, { paged }, { formatJson }] = await Promise.all([
      import('../../core/cluster/state.js'),
      import('../render/pager.js'),
      import('../render/render.js'),
    ])
    const raw = args.agent === undefined ? await masterState(deps) : await agentState(deps, args.agent)
    if (!deps.io.stdoutIsTTY) {
      await deps.io.out(raw.bytes)
      if (raw.bytes.at(-1) !== 0x0a) await deps.io.out('\n')
      return
    }
    await paged(deps.io, deps.env, flags['no-pager'], (io) => io.out(formatJson(raw.value)))
  },
})
