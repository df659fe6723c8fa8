/** The one place where an error that ends a run becomes `mesos: ...` lines and an exit code. */
import { exitCodeFor, hintsOf, isMesosError, messageOf, SilentExit } from '../core/errors.js'
import type { IO } from '../core/output/io.js'

export function reportError(err: unknown, io: IO, debug: boolean): number {
  const code = exitCodeFor(err)
  if (err instanceof SilentExit) return code
  if (!(err instanceof Error && err.name === 'AbortError')) io.error(messageOf(err), hintsOf(err), isMesosError(err) ? err.details : [])
  if (debug && err instanceof Error && (!isMesosError(err) || err.cause) && err.stack) io.note(err.stack)
  return code
}
