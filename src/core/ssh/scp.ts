/**
 * `mesos scp`: files to every agent over SFTP, max_workers agents at a time; one result line per
 * (agent, file) in agent hostname order, a progress bar on a terminal, exit 1 if any upload failed.
 */
import { listAgents } from '../cluster/state.js'
import type { Deps } from '../deps/index.js'
import { failure, noMatchError } from '../errors.js'
import { onExit } from '../lifecycle.js'
import { matchAgents } from '../tasks/agents.js'
import type { AgentView } from '../tasks/model.js'
import { connect, resolveRoute, type SshRun } from './connect.js'
import type { SshFlags } from './options.js'
import { sshRun } from './run.js'
import { AgentUploader, type LocalItem, localItems, remoteTarget } from './upload.js'
import { safe } from '../output/terminal.js'

export interface ScpOptions {
  files: string[]
  remotePath: string
  agentFilter?: string
  flags: SshFlags
}

interface AgentResult {
  agent: AgentView
  /** One reason per item; undefined means uploaded. */
  failures: Array<string | undefined>
}

async function uploadToAgent(
  run: SshRun,
  agent: AgentView,
  items: LocalItem[],
  remotePath: string,
  onBytes: (n: number) => void,
): Promise<AgentResult> {
  let client
  try {
    client = await connect(run, await resolveRoute(run, agent.hostname))
    const uploader = await AgentUploader.open(client)
    await uploader.checkDirectory(remotePath)
    const failures: Array<string | undefined> = []
    for (const item of items) failures.push(await uploader.upload(item, remotePath, onBytes))
    uploader.close()
    return { agent, failures }
  } catch (err) {
    return { agent, failures: items.map(() => (err as Error).message) }
  } finally {
    client?.end()
  }
}

function resultLines(r: AgentResult, items: LocalItem[], remotePath: string): string {
  return items
    .map((item, i) => {
      const reason = r.failures[i]
      return `${safe(`${r.agent.hostname}:${remoteTarget(remotePath, item.name)}`)}\t${reason === undefined ? 'uploaded' : `failed: ${safe(reason)}`}\n`
    })
    .join('')
}

/** Uploads every file to every chosen agent, max_workers agents at a time; exit 1 if any failed. */
export async function scpToAgents(deps: Deps, o: ScpOptions): Promise<void> {
  const items = await localItems(o.files)
  const all = await listAgents(deps)
  const agents = matchAgents(all, o.agentFilter ?? '').sort((a, b) =>
    a.hostname === b.hostname ? (a.id < b.id ? -1 : 1) : a.hostname < b.hostname ? -1 : 1,
  )
  if (agents.length === 0) {
    if (o.agentFilter) throw noMatchError(`no agent matches "${o.agentFilter}"`, [`${all.length} agent(s) known`])
    throw failure('the master lists no agents')
  }
  // SSH may prompt (host key, passphrase) and the bar takes the line: no spinner from here
  deps.io.status?.(undefined)
  const run = sshRun(deps, o.flags)
  const totalBytes = items.reduce((n, i) => n + i.bytes, 0) * agents.length
  const bar = deps.io.stderrIsTTY ? await progressBar(deps, totalBytes, agents.length) : undefined
  // on a shared terminal the lines wait for the bar to finish; piped, each is written in order as soon as it can be
  const deferred = bar !== undefined && deps.io.stdoutIsTTY

  const { default: pLimit } = await import('p-limit')
  const limit = pLimit(deps.settings.profile.max_workers)
  const results: Array<AgentResult | undefined> = []
  let printed = 0
  let pending = ''
  let finished = 0
  const flush = async () => {
    while (printed < agents.length && results[printed] !== undefined) {
      const text = resultLines(results[printed]!, items, o.remotePath)
      printed++
      if (deferred) pending += text
      else await deps.io.out(text)
    }
  }
  await Promise.all(
    agents.map((agent, i) =>
      limit(async () => {
        results[i] = await uploadToAgent(run, agent, items, o.remotePath, (n) => bar?.increment(n))
        bar?.update({ agents: ++finished })
        await flush()
      }),
    ),
  )
  bar?.stop()
  if (pending) await deps.io.out(pending)

  const failed = results.reduce((n, r) => n + (r?.failures.filter((f) => f !== undefined).length ?? 0), 0)
  if (failed > 0) throw failure(`${failed} of ${agents.length * items.length} uploads failed`)
}

interface Bar {
  increment(n: number): void
  update(payload: { agents: number }): void
  stop(): void
}

async function progressBar(deps: Deps, totalBytes: number, agents: number): Promise<Bar> {
  const { SingleBar } = await import('cli-progress')
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`
  const bar = new SingleBar({
    stream: deps.io.stderr,
    clearOnComplete: true,
    hideCursor: true,
    format: (options, params, payload: { agents: number }) => {
      const size = options.barsize ?? 30
      const done = Math.round(params.progress * size)
      const pct = Math.floor(params.progress * 100)
      return `uploading [${'='.repeat(done)}${' '.repeat(size - done)}] ${pct}% | ${payload.agents}/${agents} agents | ${mb(params.value)}/${mb(params.total)}`
    },
  })
  bar.start(Math.max(totalBytes, 1), 0, { agents: 0 })
  // the bar hides the cursor: show it again however the run ends
  const forget = onExit(() => bar.stop())
  let value = 0
  return {
    increment: (n) => {
      value += n
      bar.update(value)
    },
    update: (payload) => bar.update(value, payload),
    stop: () => {
      forget()
      if (totalBytes === 0) bar.update(1)
      bar.stop()
    },
  }
}
