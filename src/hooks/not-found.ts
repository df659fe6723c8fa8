/**
 * An unknown command: exit 2 with the closest built-in suggested (spec section 5).
 */
import type { Hook } from '@oclif/core'
import { usageError } from '../core/errors.js'
import { closest } from '../core/suggest.js'

const hook: Hook.CommandNotFound = async (opts) => {
  const names = opts.config.commands.filter((c) => !c.hidden).map((c) => c.id)
  const near = closest(opts.id, names)
  throw usageError(`unknown command "${opts.id.replaceAll(':', ' ')}"`, [
    ...(near ? [`did you mean "${near}"?`] : []),
    'run "mesos help" for the list of commands',
  ])
}

export default hook
