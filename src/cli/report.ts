/** The one place where an error that ends a run becomes `mesos: ...` lines and an exit code. */
import { exitCodeFor, hintsOf, isMesosError, messageOf, SilentExit } from '../core/errors.js'
import { helpHint } from './grammar/table.js'
import type { IO } from '../core/output/io.js'

/** `command`: the command that ran; a usage error that brings no hint of its own points at its help (spec 1.1). */
export function reportError(err: unknown, io: IO, debug: boolean, command?: string): number {
  const code = exitCodeFor(err)
  if (err instanceof SilentExit) return code
  let hints = hintsOf(err)
  if (command !== undefined && hints.length === 0 && isMesosError(err) && err.kind === 'usage' && err.commandLine) hints = [helpHint(command)]
  if (!(err instanceof Error && err.name === 'AbortError')) io.error(messageOf(err), hints, isMesosError(err) ? err.details : [])
  if (debug && err instanceof Error && err.stack) io.note(err.stack)
  // the cause is where it went wrong: its stack too
  if (debug && err instanceof Error && err.cause instanceof Error && err.cause.stack) io.note(`caused by: ${err.cause.stack}`)
  return code
}
