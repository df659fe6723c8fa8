/**
 * `mesos ssh` and `mesos scp`: from a task (or the agents) to SSH connections, and their results
 * to the terminal.
 */
import { userInfo } from 'node:os'
import type { Deps } from '../deps.js'
import { failure, noMatchError, SilentExit } from '../errors.js'
import { onExit } from '../lifecycle.js'
import { listAgents } from '../cluster/state.js'
import { findExecutorDirectory, type AgentState } from '../sandbox/locate.js'
import { findTargets } from '../sandbox/targets.js'
import { agentEndpoint, agentProcessId, matchAgents } from '../tasks/agents.js'
import { requireOne } from '../tasks/matcher.js'
import type { AgentView, TaskView } from '../tasks/model.js'
import { SshConfigFile } from './config.js'
import { connect, resolveRoute, type SshRun } from './connect.js'
import type { ProfileSsh, SshFlags } from './options.js'
import { remoteScript } from './quote.js'
import { runRemote } from './session.js'
import { AgentUploader, type LocalItem, localItems, remoteTarget } from './upload.js'
import { Serial } from './verify.js'

function localUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username
  } catch {
    return env.USER ?? env.LOGNAME ?? 'root'
  }
}

/** The profile's ssh_* keys that were set in the file: defaults must not hide ~/.ssh/config. */
function profileSsh(deps: Deps): ProfileSsh {
  const { profile: p, origin } = deps.settings
  const set = (k: keyof typeof origin) => origin[k] !== undefined && origin[k] !== 'default'
  return {
    user: set('ssh_user') ? p.ssh_user : undefined,
    port: set('ssh_port') ? p.ssh_port : undefined,
    identity: set('ssh_identity') ? p.ssh_identity : undefined,
    jump: set('ssh_jump') ? p.ssh_jump : undefined,
    strict: set('ssh_strict_host_keys') ? p.ssh_strict_host_keys : undefined,
  }
}

export function sshRun(deps: Deps, flags: SshFlags): SshRun {
  const warned = new Set<string>()
  return {
    io: deps.io,
    env: deps.env,
    home: deps.home,
    localUser: localUser(deps.env),
    flags,
    profile: profileSsh(deps),
    config: SshConfigFile.inHome(deps.home),
    serial: new Serial(),
    warnOnce: (text) => {
      if (warned.has(text)) return
      warned.add(text)
      deps.io.warn(text)
    },
    debug: deps.settings.profile.debug ? deps.debug : undefined,
  }
}

/** The task's real sandbox directory from its agent's state; undefined (with a warning) when gone. */
async function sandboxDirectory(deps: Deps, task: TaskView, agent: AgentView): Promise<string | undefined> {
  const endpoint = agentEndpoint({ ...agent, pid: agent.pid ?? '' }, deps.settings.profile.scheme)
  let state: AgentState
  try {
    state = await deps.http().getJson<AgentState>(endpoint, `/${agentProcessId({ pid: agent.pid ?? '' })}/state`)
  } catch (err) {
    deps.io.warn(
      `cannot read the sandbox of task ${task.id} from agent ${agent.hostname} (${(err as Error).message}); starting in the home directory`,
    )
    return undefined
  }
  const dir = findExecutorDirectory(state, task.frameworkId, task.executorId)
  if (dir === undefined) {
    deps.io.warn(`the sandbox of task ${task.id} on ${agent.hostname} is gone; starting in the home directory`)
    return undefined
  }
  return task.taskGroup ? `${dir}/tasks/${task.id}` : dir
}

export interface SshOptions {
  filter: string
  inactive: boolean
  command: string[]
  tty: boolean
  flags: SshFlags
}

/** Runs a shell or a command in the task's sandbox; ends the run with the remote exit status. */
export async function sshToTask(deps: Deps, o: SshOptions): Promise<void> {
  const { tasks, locator } = await findTargets(deps, { filter: o.filter, inactive: o.inactive })
  const task = requireOne({ matches: tasks, completedMatches: 0 }, o.filter)
  const agent = locator.agentFor(task)
  const run = sshRun(deps, o.flags)
  const [directory, route] = await Promise.all([sandboxDirectory(deps, task, agent), resolveRoute(run, agent.hostname)])
  const client = await connect(run, route)
  try {
    const interactive = o.command.length === 0
    const status = await runRemote(client, remoteScript({ directory, argv: o.command }), {
      pty: o.tty || (interactive && deps.io.stdinIsTTY),
      io: deps.io,
      env: deps.env,
    })
    if (status !== 0) throw new SilentExit(status)
  } finally {
    client.end()
  }
}

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
    try {
      await uploader.checkDirectory(remotePath)
    } catch (err) {
      return { agent, failures: items.map(() => (err as Error).message) }
    }
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
      return `${r.agent.hostname}:${remoteTarget(remotePath, item.name)}\t${reason === undefined ? 'uploaded' : `failed: ${reason}`}\n`
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
