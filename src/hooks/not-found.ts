/**
 * A command oclif does not know (spec section 5): global flags given before the command name
 * (`mesos --profile staging ps`), a `mesos-NAME` plugin on PATH, or an unknown command (exit 2
 * with the closest built-in suggested). Built-ins always win: oclif only calls this hook when no
 * built-in matched.
 */
import type { Hook } from '@oclif/core'
import { usageError } from '../core/errors.js'
import { splitLeadingGlobals } from '../core/plugins/argv.js'
import { findPlugin } from '../core/plugins/find.js'
import { environmentFor, runPlugin } from '../core/plugins/run.js'
import { closest } from '../core/suggest.js'

/**
 * The words as typed. oclif joins the leading words into `id` with ':' (losing `a:b` arguments) and
 * may drop the rest, so take them from the process's arguments when they agree with `id`.
 */
function typedWords(id: string, argv: string[]): string[] {
  const real = process.argv.slice(2)
  const joined = real.join(':')
  if (joined === id || joined.startsWith(`${id}:`)) return real
  return [...id.split(':'), ...argv]
}

const hook: Hook.CommandNotFound = async function (opts) {
  const config = opts.config
  const words = typedWords(opts.id, opts.argv ?? [])
  const globals = splitLeadingGlobals(words)
  const [name, ...args] = globals.rest

  if (name === undefined) return config.runCommand('help', [])
  if (globals.flags.length > 0) {
    for (let n = args.length; n >= 0; n--) {
      const idWords = [name, ...args.slice(0, n)]
      if (idWords.some((w) => w.startsWith('-'))) continue
      const cmd = config.findCommand(idWords.join(':'))
      if (cmd) return config.runCommand(cmd.id, [...globals.flags, ...args.slice(n)])
    }
  }

  // a built-in topic wins too: `mesos sim nosuch` is a typo, not the plugin mesos-sim
  const builtIn = config.commands.some((c) => c.id.split(':')[0] === name || c.aliases.includes(name))
  const plugin = name.startsWith('-') || builtIn ? undefined : findPlugin(name, process.env)
  if (plugin) {
    const env = await environmentFor({ profile: globals.profile, master: globals.master })
    process.exitCode = await runPlugin(plugin, args, env)
    return
  }

  const names = config.commands.filter((c) => !c.hidden).map((c) => c.id.replaceAll(':', ' '))
  // the unknown word is the first one, or the second after a topic (`sim upp`)
  const topic = names.some((n) => n.startsWith(`${name} `))
  const typed = topic && args[0] && !args[0].startsWith('-') ? `${name} ${args[0]}` : name
  const near = closest(typed, names)
  throw usageError(`unknown command "${typed}"`, [
    ...(near ? [`did you mean "${near}"?`] : []),
    'run "mesos help" for the list of commands',
  ])
}

export default hook
