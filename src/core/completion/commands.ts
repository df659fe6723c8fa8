/**
 * The command tree completion works on, as the caller describes it (the CLI derives it from its
 * command definitions): words, flags and arguments, and what kind of value each one completes.
 */

/** Kinds of values the engine knows how to offer. */
export type ValueKind =
  | 'task'
  | 'running-task'
  | 'agent'
  | 'sandbox-path'
  | 'local-file'
  | 'profile'
  | 'config-key'
  | 'config-value'
  | 'ssh-strict'

export interface FlagSpec {
  name: string
  char?: string
  /** An option flag (`--name VALUE`); otherwise a boolean. */
  takesValue: boolean
  options?: string[]
  description?: string
  helpValue?: string
  allowNo?: boolean
  /** May be given more than once (`--identity-file`). */
  multiple?: boolean
  /** One of the flags every cluster command takes (spec 1.3): also accepted before the command. */
  global?: boolean
  completes?: ValueKind
}

export interface ArgSpec {
  name: string
  options?: string[]
  description?: string
  completes?: ValueKind
  /** Takes every remaining word (FILE..., a remote COMMAND...). */
  variadic?: boolean
  /** Takes no word when this flag (long name) is given: the flag gives it (grep -e PATTERN). */
  givenByFlag?: string
}

export interface CommandSpec {
  /** The words that name it: `['sim', 'up']`. */
  words: string[]
  /** Other names, each as words (`agents` has `slaves`). */
  aliases: string[][]
  summary: string
  flags: FlagSpec[]
  args: ArgSpec[]
}
