/** The one place where an error that ends a run becomes a `mesos: ...` line and an exit code. */
import type { Deps } from '../core/deps.js'
import { exitCodeFor, hintsOf, isMesosError, messageOf, SilentExit } from '../core/errors.js'
import { createIO } from '../core/output/io.js'

export async function reportError(err: Error, deps: Deps | undefined, argv: readonly string[]): Promise<void> {
  const code = exitCodeFor(err)
  if (!(err instanceof SilentExit)) {
    const io = deps?.io ?? (await createIO({ noColor: argv.includes('--no-color') }))
    if (err.name !== 'AbortError') io.error(messageOf(err), hintsOf(err), isMesosError(err) ? err.details : [])
    const debugOn = deps?.settings.profile.debug ?? (argv.includes('--debug') || Boolean(process.env.DEBUG))
    if (debugOn && (!isMesosError(err) || err.cause) && err.stack) io.note(err.stack)
  }
  process.exitCode = code
}
