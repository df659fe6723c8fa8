import { pagerFlag } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'
import { listingGrammar, renderListings } from './ls.js'

export default defineCommand({
  id: 'find',
  readsCluster: true,
  summary: "List every file and directory below PATH in a task's sandbox.",
  description:
    'Recursive, depth first, one path per line, relative to the sandbox root (so they can be given to cat, head and tail). On a terminal the list goes through a pager (MESOS_PAGER, PAGER, else less -FRX; --no-pager to turn it off).',
  examples: ['mesos find taskmanager-00001', 'mesos find flink logs | grep .log$'],
  ...listingGrammar,
  flags: { ...listingGrammar.flags, ...pagerFlag },
  async run({ deps, args, flags, render }) {
    const [{ listSandbox }, { paged }, { createRender }] = await Promise.all([
      import('../../core/sandbox/service.js'),
      import('../render/pager.js'),
      import('../render/render.js'),
    ])
    const plan = await listSandbox(deps, { filter: args.task, inactive: flags.inactive, path: args.path ?? '', recursive: true })
    await paged(render.io, deps.env, flags['no-pager'] || flags.json, (io) =>
      renderListings(createRender(io), plan, { json: flags.json, quiet: flags.quiet, recursive: true }),
    )
  },
})
