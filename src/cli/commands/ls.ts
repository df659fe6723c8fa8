import type { TaskListing } from '../../core/sandbox/service.js'
import { inactiveFlag, quietFlag, taskArg } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'
import type { Render } from '../render/render.js'

/** `ls` and `find` share their grammar and output: a listing per task, or one JSON array. */
export async function renderListings(
  render: Render,
  plan: { tasks: number; listings: AsyncIterable<TaskListing> },
  o: { json: boolean; quiet: boolean; recursive: boolean },
): Promise<void> {
  const { formatLs } = await import('../render/ls.js')
  const { HeaderPrinter } = await import('../render/headers.js')
  const { safe } = await import('../../core/output/terminal.js')
  const headers = new HeaderPrinter(plan.tasks > 1 && !o.quiet && !o.json)
  const json: unknown[] = []
  try {
    for await (const l of plan.listings) {
      if (o.json) {
        for (const e of l.entries)
          json.push({
            task_id: l.task.id,
            path: e.sandboxPath,
            mode: e.mode,
            nlink: e.nlink,
            uid: e.uid,
            gid: e.gid,
            size_bytes: e.size,
            mtime: new Date(e.mtime * 1000).toISOString(),
          })
        continue
      }
      const body = o.recursive ? l.entries.map((e) => `${safe(e.sandboxPath)}\n`).join('') : formatLs(l.entries)
      await render.io.out(headers.before(safe(l.task.id)) + body)
    }
  } finally {
    if (o.json) await render.json(json)
  }
}

export const listingGrammar = {
  args: {
    task: taskArg,
    path: { description: 'directory (or file) inside the sandbox', completes: 'sandbox-path' },
  },
  flags: {
    ...inactiveFlag,
    ...quietFlag,
    json: { kind: 'boolean', description: 'JSON array of {task_id, path, mode, nlink, uid, gid, size_bytes, mtime} (docs/json.md)' },
  },
} as const

export default defineCommand({
  id: 'ls',
  readsCluster: true,
  summary: "List a task's sandbox, ls -la style.",
  description:
    'One line per entry: MODE NLINK UID GID SIZE MON DD HH:MM NAME, names relative to PATH (default: the sandbox root). Several matching tasks are listed one after another under ==> TASK_ID <== headers.',
  examples: ['mesos ls taskmanager-00001', 'mesos ls flink logs', 'mesos ls -i "web.*" --json | jq ".[].path"'],
  ...listingGrammar,
  async run({ deps, args, flags, render }) {
    const { listSandbox } = await import('../../core/sandbox/service.js')
    const plan = await listSandbox(deps, { filter: args.task, inactive: flags.inactive, path: args.path ?? '', recursive: false })
    await renderListings(render, plan, { json: flags.json, quiet: flags.quiet, recursive: false })
  },
})
