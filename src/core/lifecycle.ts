/**
 * Process-level behaviour of spec section 1.1: a closed stdout ends the run quietly with 0, SIGINT
 * and SIGTERM cancel in-flight work and exit 130/143. Cleanups registered here (terminal modes,
 * connection pools, temporary files) run on every one of those exits.
 */
import { ExitCode } from './errors.js'

type Cleanup = () => void

interface State {
  cleanups: Set<Cleanup>
  controller: AbortController
  installed: boolean
}
// One state per process, even when this module is loaded twice (the bundled runner and a module it
// loads from dist/ on a rare path): cleanups registered by either run on every exit.
const KEY = Symbol.for('mesos-cli.lifecycle')
const state: State = ((globalThis as Record<symbol, State | undefined>)[KEY] ??= {
  cleanups: new Set(),
  controller: new AbortController(),
  installed: false,
})
const { cleanups, controller } = state

/** Aborted when the user interrupts the run or stdout closes: pass it to every request. */
export const runSignal: AbortSignal = controller.signal

export function onExit(fn: Cleanup): () => void {
  cleanups.add(fn)
  return () => cleanups.delete(fn)
}

export function runCleanups(): void {
  for (const fn of [...cleanups]) {
    cleanups.delete(fn)
    try {
      fn()
    } catch {
      // a failing cleanup must not hide the exit code
    }
  }
}

export function exitNow(code: number): never {
  if (!controller.signal.aborted) controller.abort(new Error(`exit ${code}`))
  runCleanups()
  process.exit(code)
}

function isEpipe(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED'
}

export function installProcessHandlers(): void {
  if (state.installed) return
  state.installed = true
  process.stdout.on('error', (err) => {
    if (isEpipe(err)) exitNow(ExitCode.ok)
    // other write errors (ENOSPC, EIO) reject the write that failed: the command reports them
  })
  // stderr closing is no reason to crash either; there is nobody left to tell.
  process.stderr.on('error', () => {})
  process.on('SIGINT', () => exitNow(ExitCode.sigint))
  process.on('SIGTERM', () => exitNow(ExitCode.sigterm))
}
