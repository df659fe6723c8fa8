/**
 * The fast path of the hot commands (`resolve`, `ls`, `find`, `cat`, `head`, `tail`):
 * their arguments are parsed with node's own `util.parseArgs` and the shared actions run directly,
 * without loading oclif (about 70 ms of CPU at every start, more than a TAB press can afford).
 * Anything unusual (help, an unknown or malformed flag, a missing argument) returns false, and the
 * oclif command handles it with its full parser and messages. test/unit/fast.test.ts keeps these
 * flag tables identical to the oclif commands'.
 */
import { parseArgs } from 'node:util'
import type { Deps } from '../core/deps.js'

type Option = { type: 'string' | 'boolean'; short?: string }

export const GLOBAL_OPTIONS: Record<string, Option> = {
  master: { type: 'string' },
  profile: { type: 'string' },
  timeout: { type: 'string' },
  debug: { type: 'boolean' },
  'no-color': { type: 'boolean' },
}

const taskOptions: Record<string, Option> = {
  inactive: { type: 'boolean', short: 'i' },
  quiet: { type: 'boolean', short: 'q' },
}

type Values = Record<string, string | boolean | undefined>

interface FastCommand {
  options: Record<string, Option>
  /** Positional arguments: how many are required, and the most accepted. */
  min: number
  max: number
  run(deps: Deps, positionals: string[], v: Values): Promise<void>
}

const bool = (v: Values, k: string) => v[k] === true
/** The actions load the modules they need: nothing is loaded for a command that is not run. */
const actions = () => import('./actions.js')

/** A whole number ≥ 0, or undefined when the text is not one (then oclif reports it). */
function count(text: string | boolean | undefined, fallback: number): number | undefined {
  if (text === undefined) return fallback
  return typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : undefined
}

function seconds(text: string | boolean | undefined, fallback: number | undefined): number | undefined | null {
  if (text === undefined) return fallback
  const n = typeof text === 'string' ? Number(text) : Number.NaN
  return Number.isFinite(n) && n > 0 ? n : null
}

export const FAST_COMMANDS: Record<string, FastCommand> = {
  resolve: {
    options: { json: { type: 'boolean' } },
    min: 0,
    max: 1,
    run: async (deps, p, v) => (await actions()).resolveAction(deps, p[0], bool(v, 'json')),
  },
  ls: {
    options: { ...taskOptions, json: { type: 'boolean' } },
    min: 1,
    max: 2,
    run: async (deps, p, v) =>
      (await actions()).listAction(deps, p[0]!, p[1], { inactive: bool(v, 'inactive'), quiet: bool(v, 'quiet'), json: bool(v, 'json') }, false),
  },
  find: {
    options: { ...taskOptions, json: { type: 'boolean' } },
    min: 1,
    max: 2,
    run: async (deps, p, v) =>
      (await actions()).listAction(deps, p[0]!, p[1], { inactive: bool(v, 'inactive'), quiet: bool(v, 'quiet'), json: bool(v, 'json') }, true),
  },
  cat: {
    options: { ...taskOptions },
    min: 1,
    max: Number.POSITIVE_INFINITY,
    run: async (deps, p, v) =>
      (await actions()).catAction(deps, p[0]!, p.slice(1), { inactive: bool(v, 'inactive'), quiet: bool(v, 'quiet') }),
  },
  head: {
    options: { ...taskOptions, lines: { type: 'string', short: 'n' } },
    min: 1,
    max: Number.POSITIVE_INFINITY,
    run: async (deps, p, v) =>
      (await actions()).headAction(deps, p[0]!, p.slice(1), {
        inactive: bool(v, 'inactive'),
        quiet: bool(v, 'quiet'),
        lines: count(v.lines, 10)!,
      }),
  },
  tail: {
    options: {
      ...taskOptions,
      lines: { type: 'string', short: 'n' },
      follow: { type: 'boolean', short: 'f' },
      'sleep-interval': { type: 'string', short: 's' },
    },
    min: 1,
    max: Number.POSITIVE_INFINITY,
    run: async (deps, p, v) =>
      (await actions()).tailAction(deps, p[0]!, p.slice(1), {
        inactive: bool(v, 'inactive'),
        quiet: bool(v, 'quiet'),
        lines: count(v.lines, 10)!,
        follow: bool(v, 'follow'),
        sleepInterval: seconds(v['sleep-interval'], 1)!,
      }),
  },
}

/** Runs `argv` on the fast path; false when oclif must handle it. */
export async function runFast(argv: readonly string[]): Promise<boolean> {
  const [id, ...rest] = argv
  const cmd = id === undefined ? undefined : FAST_COMMANDS[id]
  if (!cmd || rest.includes('--help') || rest.includes('-h')) return false
  let parsed: { values: Values; positionals: string[] }
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...cmd.options }, allowPositionals: true, strict: true })
  } catch {
    return false
  }
  const { values, positionals } = parsed
  if (positionals.length < cmd.min || positionals.length > cmd.max) return false
  if (values.lines !== undefined && count(values.lines, 10) === undefined) return false
  const timeout = seconds(values.timeout, undefined)
  if (timeout === null || seconds(values['sleep-interval'], 1) === null) return false

  const [{ installProcessHandlers }, { createDeps }, { reportError }] = await Promise.all([
    import('../core/lifecycle.js'),
    import('../core/deps.js'),
    import('./report.js'),
  ])
  installProcessHandlers()
  let deps: Deps | undefined
  try {
    deps = await createDeps({
      master: values.master as string | undefined,
      profile: values.profile as string | undefined,
      timeout,
      debug: values.debug === true,
      noColor: values['no-color'] === true,
    })
    await cmd.run(deps, positionals, values)
  } catch (err) {
    await reportError(err as Error, deps, argv)
  } finally {
    await deps?.close()
  }
  return true
}
