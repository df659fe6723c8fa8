/** The one place where an error that ends a run becomes `mesos: ...` lines and an exit code. */
import { exitCodeFor, hintsOf, isMesosError, messageOf, SilentExit } from '../core/errors.js'
import type { IO } from '../core/output/io.js'

export function reportError(err: unknown, io: IO, debug: boolean): number {
  const code = exitCodeFor(err)
  if (err instanceof SilentExit) return code
  if (!(err instanceof Error && err.name === 'AbortError')) io.error(messageOf(err), hintsOf(err), isMesosError(err) ? err.details : [])
  if (debug && err instanceof Error && err.stack) io.note(err.stack)
  // the cause is where it went wrong: its stack too
  if (debug && err instanceof Error && err.cause instanceof Error && err.cause.stack) io.note(`caused by: ${err.cause.stack}`)
  return code
}
