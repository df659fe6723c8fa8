/**
 * The one error taxonomy of the CLI. Every failure that reaches the user is one of these, and
 * `exitCodeFor` is the only place that turns an error into an exit code (spec section 1.2).
 */

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  noMatch: 3,
  master: 4,
  sigint: 130,
  sigterm: 143,
} as const

export type ErrorKind = 'failure' | 'usage' | 'no-match' | 'master' | 'interrupted'

const codes: Record<ErrorKind, number> = {
  failure: ExitCode.failure,
  usage: ExitCode.usage,
  'no-match': ExitCode.noMatch,
  master: ExitCode.master,
  interrupted: ExitCode.sigint,
}

// Errors are recognised by a brand, not by class identity: a module loaded from dist/ on a rare
// path (the simulator, ssh, containers) has its own copy of this class.
const MESOS_ERROR = Symbol.for('mesos-cli.MesosError')
const SILENT_EXIT = Symbol.for('mesos-cli.SilentExit')

function branded(x: unknown, brand: symbol): boolean {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[brand] === true
}

/** An error the user can act on: printed as one `mesos: <message>` line plus optional hints. */
export class MesosError extends Error {
  static override [Symbol.hasInstance](x: unknown): boolean {
    return this === MesosError ? branded(x, MESOS_ERROR) : Function.prototype[Symbol.hasInstance].call(this, x)
  }

  readonly [MESOS_ERROR] = true
  readonly kind: ErrorKind
  readonly hints: string[]
  /** Lines printed after the message (e.g. the candidates of an ambiguous match). */
  readonly details: string[]
  /** Overrides the kind's code: remote exit statuses and signals. */
  readonly exitCode?: number
  /**
   * A usage error about the command line (true) or about what the run found around it: a config
   * file, a local file, a CA file (false). Only the first points at the command's help.
   */
  readonly commandLine: boolean
  /** The HTTP status of the answer this error reports, when it reports one. */
  readonly status?: number

  constructor(
    kind: ErrorKind,
    message: string,
    opts: { hints?: string[]; details?: string[]; cause?: unknown; exitCode?: number; commandLine?: boolean; status?: number } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'MesosError'
    this.kind = kind
    this.hints = opts.hints ?? []
    this.details = opts.details ?? []
    this.exitCode = opts.exitCode
    this.commandLine = opts.commandLine ?? kind === 'usage'
    if (opts.status !== undefined) this.status = opts.status
  }
}

export const usageError = (message: string, hints?: string[]) => new MesosError('usage', message, { hints })
/** Exit 2 like a usage error, for what the run found wrong around it (a config file, a local file, a CA file): no help hint. */
export const setupError = (message: string, hints?: string[]) =>
  new MesosError('usage', message, { hints, commandLine: false })
export const failure = (message: string, hints?: string[], cause?: unknown) =>
  new MesosError('failure', message, { hints, cause })
export const masterError = (message: string, hints?: string[], cause?: unknown) =>
  new MesosError('master', message, { hints, cause })
export const noMatchError = (message: string, hints?: string[], details?: string[]) =>
  new MesosError('no-match', message, { hints, details })

/** Ends a command quietly with a given code (e.g. a closed stdout ends with 0). */
export class SilentExit extends Error {
  static override [Symbol.hasInstance](x: unknown): boolean {
    return branded(x, SILENT_EXIT)
  }

  readonly [SILENT_EXIT] = true

  constructor(readonly code: number) {
    super(`exit ${code}`)
    this.name = 'SilentExit'
  }
}

export function isMesosError(err: unknown): err is MesosError {
  return err instanceof MesosError
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof SilentExit) return err.code
  if (err instanceof MesosError) return err.exitCode ?? codes[err.kind]
  return ExitCode.failure
}

/** The text of an error for the `mesos: ...` line: its first line. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) {
    const first = err.message.split('\n').find((l) => l.trim() !== '') ?? err.name
    return first.replace(/^Error:\s*/, '').trim()
  }
  return String(err)
}

export function hintsOf(err: unknown): string[] {
  return err instanceof MesosError ? err.hints : []
}
