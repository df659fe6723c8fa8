/**
 * The one entry of every run: from the words after `mesos` to an exit code. It finds the command in
 * the definitions, parses its words with the one parser, builds the run's dependencies, runs it
 * and reports whatever ends it, all without loading oclif; help (rendered by oclif from the same
 * definitions), plugins and completion branch off here.
 */
import type { DepsInit } from '../core/deps/index.js'
import { usageError } from '../core/errors.js'
import { debugFromEnv } from '../core/config/debug-env.js'
import { createIO, type IO } from '../core/output/io.js'
import { splitLeadingGlobals } from '../core/plugins/argv.js'
import { nearest, orList } from '../core/suggest.js'
import { COMMANDS, findCommand, isTopic } from './commands/index.js'
import { parseCommand } from './grammar/parse.js'
import { globalTable } from './grammar/table.js'
import type { AnyCommand } from './grammar/types.js'
import { createRender } from './render/render.js'
import { reportError } from './report.js'

export interface RunInit extends Pick<DepsInit, 'io' | 'env' | 'cwd' | 'home' | 'clock' | 'signal'> {
  /** A real process: install signal and closed-pipe handling (off for in-process tests). */
  process?: boolean
}

export async function runCli(argv: readonly string[], init: RunInit = {}): Promise<number> {
  if (argv[0] === '__complete') {
    const { runCompletion } = await import('./complete.js')
    return runCompletion(argv.slice(1))
  }
  if (argv[0] === '__complete-command') {
    const { runCompleteCommand } = await import('./complete-command.js')
    return runCompleteCommand()
  }
  const env = init.env ?? process.env
  const globals = splitLeadingGlobals(argv, globalTable())
  const debugWanted = globals.values.debug === true || argv.includes('--debug') || debugFromEnv(env)
  const io = init.io ?? (await createIO({ env, noColor: argv.includes('--no-color') }))
  try {
    return await dispatch(globals.rest, globals.flags, globals.values, io, env, init)
  } catch (err) {
    return reportError(err, io, debugWanted)
  }
}

async function dispatch(
  words: string[],
  leading: string[],
  leadingValues: Record<string, string | true>,
  io: IO,
  env: NodeJS.ProcessEnv,
  init: RunInit,
): Promise<number> {
  const [first, ...rest] = words
  if (first === undefined || first === '-h' || first === '--help') return showHelp([])
  if (first === '--version') return version(io)
  if (first === 'help') return showHelp(rest.filter((w) => !w.startsWith('-')), env)
  const found = findCommand(words)
  if (!found) return notFound(words, leadingValues, env)
  const def = found.def
  const parsed = parseCommand(def, [...leading, ...words.slice(found.words)])
  if (parsed.help) return showHelp(def.id.split(' '))
  return runDefinition(def, parsed.flags, parsed.args, io, env, init)
}

async function runDefinition(
  def: AnyCommand,
  flags: Record<string, unknown>,
  args: Record<string, unknown>,
  io: IO,
  env: NodeJS.ProcessEnv,
  init: RunInit,
): Promise<number> {
  const [{ createDeps }, lifecycle] = await Promise.all([import('../core/deps/index.js'), import('../core/lifecycle.js')])
  if (init.process) lifecycle.installProcessHandlers()
  let stopWatching = () => {}
  if (init.process && def.streams) {
    const { watchStdoutClosed } = await import('../core/output/closed.js')
    stopWatching = watchStdoutClosed(() => lifecycle.exitNow(0))
  }
  const debug = flags.debug === true || debugFromEnv(env)
  // a command that reads the cluster shows on a terminal what it waits for (spec 1.1 signs of life)
  const live =
    init.process && io.stderrIsTTY && def.readsCluster
      ? (await import('./render/spinner.js')).withSpinner(io, { initial: 'waiting for the master' })
      : undefined
  let deps: Awaited<ReturnType<typeof createDeps>> | undefined
  try {
    deps = await createDeps({
      io: live?.io ?? io,
      env,
      cwd: init.cwd,
      home: init.home,
      clock: init.clock,
      signal: init.signal,
      master: flags.master as string | undefined,
      profile: flags.profile as string | undefined,
      timeout: flags.timeout as number | undefined,
      debug,
      noColor: flags['no-color'] === true,
      taskIndexFetched: async (d, got, ms) => (await import('../core/completion/cache.js')).rememberForCompletion(d, got, ms),
    })
    await def.run({ deps, flags: flags as never, args: args as never, render: createRender(deps.io) })
    return 0
  } catch (err) {
    return reportError(err, deps?.io ?? live?.io ?? io, deps?.settings.profile.debug ?? debug, def.id)
  } finally {
    live?.stop()
    stopWatching()
    await deps?.close()
  }
}

async function version(io: IO): Promise<number> {
  const { versionLine } = await import('./version.js')
  await io.out(versionLine())
  return 0
}

/** Help for a command, a topic, a plugin (its own `--help`), or everything; an unknown name is a usage error. */
async function showHelp(words: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (words.length > 0 && !findCommand(words) && !isTopic(words[0]!)) {
    const { findPlugin, listPlugins } = await import('../core/plugins/find.js')
    const plugin = words.length === 1 ? findPlugin(words[0]!, env) : undefined
    if (!plugin) throw unknownCommand(words.join(' '), listPlugins(env).map((p) => p.name))
    const { environmentFor, runPlugin } = await import('../core/plugins/run.js')
    return runPlugin(plugin, ['--help'], await environmentFor({}))
  }
  const { renderHelp } = await import('./help.js')
  await renderHelp(words)
  return 0
}

export { debugFromEnv, unknownCommand }

/** Not a built-in: a topic without its subcommand, a plugin `mesos-NAME`, or a typo (exit 2, nearest suggested). */
async function notFound(words: string[], leading: Record<string, string | true>, env: NodeJS.ProcessEnv): Promise<number> {
  const [name, ...args] = words as [string, ...string[]]
  if (isTopic(name)) {
    if (args.length === 0 || args[0]!.startsWith('-')) return showHelp([name])
    throw unknownCommand(`${name} ${args[0]}`, [])
  }
  const { findPlugin, listPlugins } = await import('../core/plugins/find.js')
  const plugin = name.startsWith('-') ? undefined : findPlugin(name, env)
  if (plugin) {
    const { environmentFor, runPlugin } = await import('../core/plugins/run.js')
    const pluginEnv = await environmentFor({
      profile: typeof leading.profile === 'string' ? leading.profile : undefined,
      master: typeof leading.master === 'string' ? leading.master : undefined,
    })
    return runPlugin(plugin, args, pluginEnv)
  }
  if (name.startsWith('-')) throw usageError(`unknown flag ${name} (global flags: --master, --profile, --timeout, --debug, --no-color)`, ['mesos --help'])
  throw unknownCommand(name, listPlugins(env).map((p) => p.name))
}

function unknownCommand(typed: string, plugins: string[]): Error {
  const names = [...COMMANDS.filter((c) => !c.hidden).flatMap((c) => [c.id, ...(c.aliases ?? [])]), 'help', ...plugins]
  const near = nearest(typed, names)
  return usageError(`unknown command "${typed}"`, [...(near.length ? [`did you mean ${orList(near)}?`] : []), 'run "mesos help" for the list of commands'])
}
