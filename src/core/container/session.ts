/**
 * Running a command in a task's container, and attaching to a task launched with a TTY, over the
 * agent v1 API (reference §5.4). Independent of any command: the caller resolves the task and
 * passes what is needed.
 *
 * Contract for callers:
 * - `agent` is the task's agent endpoint and `http` the shared client (credentials, TLS, timeouts);
 *   `parentContainerId` is the task's `statuses[0].container_status.container_id`, parent chain
 *   included. Check the task first with `assertExecutable` (not running / Docker / agent < 1.2).
 * - stdout and stderr arrive as Buffers, byte-exact, in order per stream; with a TTY everything
 *   comes as stdout (the agent merges them on the pty).
 * - `stdin` is read until it ends: without a TTY the end is sent as EOF (an empty DATA record),
 *   with one as EOT. Our listeners are removed and the stream paused when the session ends.
 * - `tty` is the first window size; call `resize()` on every change (SIGWINCH is the caller's).
 *   Raw mode and restoring the terminal are the caller's too.
 * - Aborting `signal` closes the connections, which makes the agent destroy the nested container
 *   (its whole process group); `done` then rejects with the signal's reason. The caller maps it
 *   (Ctrl-C: exit 130).
 * - `done` resolves with the wait(2) status (`exitStatus`) and `exitCode` (128+N for signal N).
 * - Refusals reject with ContainerError (a MesosError 'failure', exit 1) whose `reason` says why:
 *   unauthorized (401), forbidden (403), not-running, no-tty (attach), agent (anything else).
 *
 *   const s = startSession({ http, agent, agentVersion, parentContainerId, command: ['ls', '-l'],
 *     tty: { rows: 24, columns: 80 }, stdin: process.stdin, onStdout: (b) => process.stdout.write(b),
 *     onStderr: (b) => process.stderr.write(b), signal })
 *   process.stdout.on('resize', () => s.resize({ rows: process.stdout.rows, columns: process.stdout.columns }))
 *   const { exitCode } = await s.done
 */
import { randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { HttpClient } from '../http/client.js'
import type { Endpoint } from '../http/endpoint.js'
import { ContainerError, refusal } from './errors.js'
import {
  attachOutputCall,
  type ContainerId,
  eofRecord,
  exitCodeOf,
  heartbeatRecord,
  inputHello,
  launchSessionCall,
  legacyWaitCall,
  stdinRecord,
  ttyInfoRecord,
  waitCall,
  type WindowSize,
} from './protocol.js'
import { API_PATH, type Input, openInput, openOutput } from './transport.js'

/** The official CLI's input heartbeat, and the agent's default --http_heartbeat_interval. */
const HEARTBEAT_MS = 30_000

interface Common {
  http: HttpClient
  agent: Endpoint
  tty?: WindowSize
  stdin?: Readable
  /** a returned promise holds the output back until it settles (back-pressure) */
  onStdout(bytes: Buffer): unknown
  onStderr?(bytes: Buffer): unknown
  signal?: AbortSignal
  heartbeatMs?: number
  /** stdin is a courtesy (an empty one, so the command sees EOF): a refused input does not end the session */
  optionalInput?: boolean
}

export interface SessionOptions extends Common {
  parentContainerId: ContainerId
  command: string[]
  agentVersion?: string
  onStderr(bytes: Buffer): unknown
  /** the new nested container's ID value; a random UUID by default */
  containerId?: string
}

export interface Handle<T> {
  resize(size: WindowSize): void
  done: Promise<T>
}

export interface ExecResult {
  containerId: ContainerId
  exitStatus?: number
  exitCode: number
}

/** LAUNCH_NESTED_CONTAINER_SESSION, optional input, then WAIT_CONTAINER for the exit status. */
export function startSession(o: SessionOptions): Handle<ExecResult> {
  const id = { parent: o.parentContainerId, value: o.containerId ?? randomUUID() }
  const io = connect(o, id)
  const done = (async () => {
    try {
      await io.run(launchSessionCall(id, o.command, o.tty !== undefined), 'launch a command in the container')
    } finally {
      io.close()
    }
    const exitStatus = await wait(o, id)
    return { containerId: id, exitStatus, exitCode: exitCodeOf(exitStatus) }
  })()
  return { resize: io.resize, done }
}

export const launchSession = (o: SessionOptions): Promise<ExecResult> => startSession(o).done

export interface AttachOptions extends Common {
  /** the task's container ID */
  containerId: ContainerId
}

/** ATTACH_CONTAINER_OUTPUT (+ ATTACH_CONTAINER_INPUT) on a task launched with a TTY; ends with its output. */
export function attachTask(o: AttachOptions): Handle<void> {
  const io = connect(o, o.containerId)
  const done = (async () => {
    try {
      await io.run(attachOutputCall(o.containerId), "attach to the task's container")
    } finally {
      io.close()
    }
  })()
  return { resize: io.resize, done }
}

/** The output stream, and the input stream once the agent accepted the call. */
function connect(o: Common, id: ContainerId) {
  const abort = new AbortController()
  const onAbort = () => abort.abort(o.signal?.reason)
  o.signal?.addEventListener('abort', onAbort, { once: true })
  const tty = o.tty !== undefined
  let input: Input | undefined
  let size = o.tty
  let beat: NodeJS.Timeout | undefined
  let refused: Error | undefined
  const onData = (chunk: Buffer | string) => input?.write(stdinRecord(Buffer.from(chunk)))
  const onEnd = () => input?.write(eofRecord(tty))
  const startInput = () => {
    if (!o.stdin && !tty) return
    input = openInput(o.http, o.agent, abort.signal)
    // a refused input (409: someone else holds it, 403) would leave the command waiting for
    // keystrokes that never arrive: end the session with the refusal; 500 means it already ended
    input.response.then(
      (r) => {
        if (r.status === 200 || r.status === 500 || abort.signal.aborted || o.optionalInput) return
        refused = refusal(r.status, r.body, 'send input to the container')
        abort.abort(refused)
      },
      () => {},
    )
    input.write(inputHello(id))
    if (size) input.write(ttyInfoRecord(size))
    const ms = o.heartbeatMs ?? HEARTBEAT_MS
    beat = setInterval(() => input?.write(heartbeatRecord(ms)), ms)
    beat.unref()
    o.stdin?.on('data', onData)
    o.stdin?.once('end', onEnd)
  }
  return {
    resize(next: WindowSize) {
      size = next
      input?.write(ttyInfoRecord(next))
    },
    async run(call: Record<string, unknown>, what: string) {
      if (o.signal?.aborted) throw o.signal.reason
      const out = await openOutput(
        o.http,
        o.agent,
        call,
        what,
        { onStdout: o.onStdout, onStderr: o.onStderr ?? o.onStdout },
        abort.signal,
      ).catch((err: unknown) => {
        throw o.signal?.aborted ? o.signal.reason : err
      })
      startInput()
      try {
        await out.ended
      } catch (err) {
        throw refused ?? (o.signal?.aborted ? o.signal.reason : err)
      }
      if (refused) throw refused
    },
    close() {
      o.signal?.removeEventListener('abort', onAbort)
      clearInterval(beat)
      o.stdin?.off('data', onData)
      o.stdin?.off('end', onEnd)
      o.stdin?.pause()
      if (abort.signal.aborted) input?.destroy()
      else input?.end()
    },
  }
}

/** WAIT_CONTAINER (1.5+), or WAIT_NESTED_CONTAINER on 1.1–1.4 and when the agent does not know the new call. */
async function wait(o: SessionOptions, id: ContainerId): Promise<number | undefined> {
  const post = async (call: Record<string, unknown>) => {
    const res = await o.http.request(o.agent, API_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(call),
      bodyTimeoutSec: null,
      signal: o.signal,
    })
    return { status: res.status, text: await res.text() }
  }
  const first = waitCall(id, o.agentVersion)
  let r = await post(first)
  if (r.status === 400 && first.type === 'WAIT_CONTAINER') r = await post(legacyWaitCall(id))
  if (r.status !== 200) throw refusal(r.status, r.text, 'wait for the command')
  try {
    const body = JSON.parse(r.text) as Record<string, { exit_status?: number } | undefined>
    return (body.wait_container ?? body.wait_nested_container)?.exit_status
  } catch {
    throw new ContainerError('agent', `the agent's answer to WAIT_CONTAINER is not JSON: ${r.text.slice(0, 80)}`)
  }
}
