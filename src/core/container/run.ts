/**
 * `mesos exec` and `mesos attach`: a task's container wired to this process's streams and
 * terminal. Output bytes are the user's and pass exactly; the run ends with the remote exit status.
 */
import { Readable } from 'node:stream'
import { launchedWithTty } from '../cluster/task-detail.js'
import type { Deps } from '../deps/index.js'
import { ExitCode, SilentExit } from '../errors.js'
import { ContainerError } from './errors.js'
import { attachTask, startSession } from './session.js'
import { findContainerTarget, inTask } from './target.js'
import { localTerminal, watchDetach } from './terminal.js'

export interface ExecOptions {
  filter: string
  command: string[]
  /** forward stdin until it ends */
  interactive: boolean
  /** a TTY for the command; raw mode here when stdin is forwarded too */
  tty: boolean
}

/** Writes the bytes; when the stream is full, the agent's stream waits until it drains. */
const copyTo = (stream: NodeJS.WritableStream) => (bytes: Buffer) =>
  stream.write(bytes) ? undefined : new Promise<void>((resolve) => stream.once('drain', resolve))

/** Runs the command in a nested container of the task's; ends with its exit status (128+N for signal N). */
export async function execInTask(deps: Deps, o: ExecOptions): Promise<void> {
  const t = await findContainerTarget(deps, o.filter)
  deps.io.status?.(undefined)
  const term = o.tty ? localTerminal(deps.io, o.interactive) : undefined
  let code: number
  try {
    const session = startSession({
      http: deps.http(),
      agent: t.endpoint,
      agentVersion: t.agent.version,
      parentContainerId: t.containerId,
      command: o.command,
      tty: term?.size(),
      // without -i the command reads an empty stdin (as from /dev/null), not one that never ends
      stdin: o.interactive ? deps.io.stdin : o.tty ? undefined : Readable.from([]),
      optionalInput: !o.interactive,
      onStdout: copyTo(deps.io.stdout),
      onStderr: copyTo(deps.io.stderr),
      signal: deps.signal,
    })
    term?.onResize(session.resize)
    code = (await session.done).exitCode
  } catch (err) {
    if (deps.signal.aborted) throw new SilentExit(ExitCode.sigint)
    throw inTask(err, t)
  } finally {
    term?.restore()
    // as with ssh, the command's end ends the run, even while our stdin is still open
    if (o.interactive) deps.io.stdin.destroy()
  }
  if (code !== 0) throw new SilentExit(code)
}

export interface AttachOptions {
  filter: string
  /** forward our stdin (and keystrokes, in raw mode) to the task's terminal */
  stdin: boolean
}

/** Attaches to a task launched with a TTY until it ends or the user detaches (Ctrl-P Ctrl-Q). */
export async function attachToTask(deps: Deps, o: AttachOptions): Promise<void> {
  const t = await findContainerTarget(deps, o.filter)
  deps.io.status?.(undefined)
  const noTty = () => new ContainerError('no-tty', `${t.task.id} was launched without a TTY; use mesos tail -f or mesos exec`)
  if (!launchedWithTty(t.detail)) throw noTty()
  if (o.stdin && deps.io.stdinIsTTY && deps.io.stderrIsTTY) deps.io.note(`attached to ${t.task.id}; Ctrl-P Ctrl-Q detaches`, 'dim')
  const detached = new AbortController()
  const term = o.stdin ? localTerminal(deps.io, true) : undefined
  const input = o.stdin ? watchDetach(deps.io.stdin, () => detached.abort(new Error('detached'))) : undefined
  try {
    const a = attachTask({
      http: deps.http(),
      agent: t.endpoint,
      containerId: t.containerId,
      tty: term?.size(),
      stdin: input?.stream,
      onStdout: copyTo(deps.io.stdout),
      signal: AbortSignal.any([deps.signal, detached.signal]),
    })
    term?.onResize(a.resize)
    await a.done
  } catch (err) {
    if (detached.signal.aborted) return
    if (deps.signal.aborted) throw new SilentExit(ExitCode.sigint)
    if (err instanceof ContainerError && err.reason === 'no-tty') throw noTty()
    throw inTask(err, t)
  } finally {
    input?.stop()
    term?.restore()
    if (input) deps.io.stdin.destroy()
  }
}
