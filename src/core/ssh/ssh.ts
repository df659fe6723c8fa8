/** `mesos ssh`: from a task to a shell or a command in its sandbox, over SSH to its agent. */
import type { Deps } from '../deps/index.js'
import { SilentExit } from '../errors.js'
import type { TaskSandbox } from '../sandbox/locate.js'
import { findTargets } from '../sandbox/targets.js'
import { requireOne } from '../tasks/matcher.js'
import { connect, resolveRoute } from './connect.js'
import type { SshFlags } from './options.js'
import { remoteScript } from './quote.js'
import { sshRun } from './run.js'
import { runRemote } from './session.js'

/** The task's real sandbox directory (SandboxLocator's rule); undefined, with a warning, when gone. */
async function sandboxDirectory(deps: Deps, sandbox: TaskSandbox): Promise<string | undefined> {
  const { task, agent } = sandbox
  let dir: string | undefined
  try {
    dir = await sandbox.realRoot()
  } catch (err) {
    deps.io.warn(
      `cannot read the sandbox of task ${task.id} from agent ${agent.hostname} (${(err as Error).message}); starting in the home directory`,
    )
    return undefined
  }
  if (dir === undefined) deps.io.warn(`the sandbox of task ${task.id} on ${agent.hostname} is gone; starting in the home directory`)
  return dir
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
  const sandbox = locator.open(task)
  const run = sshRun(deps, o.flags)
  const [directory, route] = await Promise.all([sandboxDirectory(deps, sandbox), resolveRoute(run, sandbox.agent.hostname)])
  // SSH may prompt (host key, passphrase): no spinner from here
  deps.io.status?.(undefined)
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
