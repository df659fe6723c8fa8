/**
 * The declarative grammar of a command: its arguments, flags, texts and what it runs. Everything
 * else (the parser, usage errors, help, completion, the plugin argv scan, the oclif manifest) is
 * derived from these definitions, so a flag exists in exactly one place.
 */
import type { ValueKind } from '../../core/completion/commands.js'
import type { Deps } from '../../core/deps/index.js'
import type { Render } from '../render/render.js'
import type { GLOBAL_FLAGS } from './flags.js'

export type GlobalName = keyof typeof GLOBAL_FLAGS

/** What the values of an argument or flag are, for completion (the kinds the engine knows). */
export type Completes = ValueKind

interface FlagBase {
  description: string
  /** One-letter short form (`-n`). */
  char?: string
  hidden?: boolean
  /** Shown in help as `--name <value>`. */
  helpValue?: string
  /** The help section (e.g. 'GLOBAL', 'SSH'). */
  group?: string
  completes?: Completes
}

export interface BooleanFlag extends FlagBase {
  kind: 'boolean'
}
export interface StringFlag extends FlagBase {
  kind: 'string'
  default?: string
  options?: readonly string[]
  /** An empty value (`-o ''`) is a usage error unless this says it means something. */
  emptyOk?: boolean
}
/** A flag that may be given several times; its value is every occurrence, in order. */
export interface ListFlag extends FlagBase {
  kind: 'list'
}
/** A whole number (`integer`) or a positive number of seconds (`seconds`), checked against its range. */
export interface NumberFlag extends FlagBase {
  kind: 'integer' | 'seconds'
  default?: number
  min?: number
  max?: number
}

export type FlagDef = BooleanFlag | StringFlag | ListFlag | NumberFlag

export interface ArgDef {
  description: string
  required?: boolean
  /** Takes every remaining positional word (at least one when required). */
  variadic?: boolean
  /**
   * Once this argument receives its first word, every word after it is positional too, flags and
   * `--` included (`mesos exec TASK ls -la`): the words belong to a remote command.
   */
  rest?: boolean
  options?: readonly string[]
  completes?: Completes
  /** The name shown in usage and errors (default: the key in upper case). */
  label?: string
  /**
   * This flag (long name) gives the argument instead (grep's -e gives PATTERN): when it is present
   * the argument takes no word, and the words move one place left (the command's run reads them so).
   */
  givenByFlag?: string
}

export type FlagValue<F> = F extends BooleanFlag
  ? boolean
  : F extends ListFlag
    ? string[]
    : F extends { default: infer D }
      ? D extends number
        ? number
        : string
      : F extends NumberFlag
        ? number | undefined
        : string | undefined

export type ArgValue<A> = A extends { variadic: true } | { rest: true }
  ? string[]
  : A extends { required: true }
    ? string
    : string | undefined

export type FlagValues<F extends Record<string, FlagDef>> = { [K in keyof F]: FlagValue<F[K]> }
export type ArgValues<A extends Record<string, ArgDef>> = { [K in keyof A]: ArgValue<A[K]> }

/** The global flags' values, as far as the command accepts them. */
export interface GlobalValues {
  master?: string
  profile?: string
  timeout?: number
  debug?: boolean
  'no-color'?: boolean
}

/** What a command's run receives. */
export interface RunContext<F extends Record<string, FlagDef>, A extends Record<string, ArgDef>> {
  deps: Deps
  flags: FlagValues<F> & GlobalValues
  args: ArgValues<A>
  render: Render
}

export interface CommandDef<
  F extends Record<string, FlagDef> = Record<string, FlagDef>,
  A extends Record<string, ArgDef> = Record<string, ArgDef>,
> {
  /** The words that name it, space-separated: `tail`, `sim up`. */
  id: string
  aliases?: readonly string[]
  summary: string
  description?: string
  /** Example command lines, `mesos` included. */
  examples?: readonly string[]
  /** Usage line after `mesos ID`, when the generated one says too little. */
  usage?: string
  hidden?: boolean
  /**
   * Which of the global flags of spec 1.3 it accepts (--master, --profile, --timeout, --debug,
   * --no-color); every one when omitted, as a cluster command does.
   */
  globals?: readonly GlobalName[]
  /**
   * It waits for the cluster: a spinner on a terminal says what it waits for, until output begins.
   * A command that then talks to the terminal itself (ssh prompts, a progress bar, a full-screen
   * view, a remote session) ends the spinner first with `io.status(undefined)`.
   */
  readsCluster?: boolean
  /** It may sit idle for long (a follower): a reader going away is noticed without a write. */
  streams?: boolean
  args: A
  flags: F
  run(ctx: RunContext<F, A>): Promise<void>
}

/** Identity with inference: one definition per command, typed from its own flags and arguments. */
export function defineCommand<F extends Record<string, FlagDef>, A extends Record<string, ArgDef>>(
  def: CommandDef<F, A>,
): CommandDef<F, A> {
  return def
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = CommandDef<any, any>
