import { defineCommand } from '../grammar/types.js'
import { listingGrammar, renderListings } from './ls.js'

export default defineCommand({
  id: 'find',
  summary: "List every file and directory below PATH in a task's sandbox.",
  description:
    'Recursive, depth first, one path per line, relative to the sandbox root (so they can be given to cat, head and tail).',
  examples: ['mesos find taskmanager-00001', 'mesos find flink logs | grep .log$'],
  ...listingGrammar,
  async run({ deps, args, flags, render }) {
    const { listSandbox } = await import('../../core/sandbox/service.js')
    const plan = await listSandbox(deps, { filter: args.task, inactive: flags.inactive, path: args.path ?? '', recursive: true })
    await renderListings(render, plan, { json: flags.json, quiet: flags.quiet, recursive: true })
  },
})
