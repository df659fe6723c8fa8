/**
 * The IO seam: which streams are terminals, whether to colour them, where data and diagnostics go.
 * stdout carries data only; everything else goes to stderr (spec 1.1).
 */
import type { Readable, Writable } from 'node:stream'
import { failure } from '../errors.js'
import { safe, safeLines } from './terminal.js'

export interface Styler {
  bold(s: string): string
  dim(s: string): string
  red(s: string): string
  yellow(s: string): string
  green(s: string): string
  cyan(s: string): string
}

const plain: Styler = {
  bold: (s) => s,
  dim: (s) => s,
  red: (s) => s,
  yellow: (s) => s,
  green: (s) => s,
  cyan: (s) => s,
}

export interface IOOptions {
  stdout?: Writable & { isTTY?: boolean; columns?: number }
  stderr?: Writable & { isTTY?: boolean }
  stdin?: Readable & { isTTY?: boolean }
  env?: NodeJS.ProcessEnv
  noColor?: boolean
}

export interface IO {
  readonly stdout: Writable
  readonly stderr: Writable
  readonly stdin: Readable
  readonly stdoutIsTTY: boolean
  readonly stderrIsTTY: boolean
  readonly stdinIsTTY: boolean
  /** Styles for stdout and stderr: identity functions when that stream must not be coloured. */
  readonly outStyle: Styler
  readonly errStyle: Styler
  /** Terminal width of stdout, or undefined when piped (no truncation then). */
  columns(): number | undefined
  /** Writes data to stdout, waiting for the stream to drain when it is full. */
  out(text: string | Uint8Array): Promise<void>
  /** Diagnostic lines on stderr (control characters escaped, line breaks kept), dim if asked. */
  note(text: string, style?: 'dim'): void
  /** `mesos: warning: <text>` on one line. */
  warn(text: string): void
  /** `mesos: <message>`, then detail lines, then `hint: ...` lines, each one line. */
  error(message: string, hints?: readonly string[], details?: readonly string[]): void
  /**
   * What the command waits for now (`waiting for 3 of 40 agents`), shown by a spinner on a terminal
   * after a while; undefined: it waits no more (output or a stream has begun). Absent: nobody shows it.
   */
  status?(text: string | undefined): void
}

/** Colour decision of spec 1.1: TTY only; a non-empty NO_COLOR (no-color.org) or --no-color turn it off, FORCE_COLOR on. */
export function colorWanted(isTTY: boolean, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  if (noColorFlag) return false
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force !== 'false'
  return isTTY
}

async function styler(enabled: boolean): Promise<Styler> {
  if (!enabled) return plain
  const { Chalk } = await import('chalk')
  const c = new Chalk({ level: 1 })
  return { bold: c.bold, dim: c.dim, red: c.red, yellow: c.yellow, green: c.green, cyan: c.cyan }
}

export async function createIO(opts: IOOptions = {}): Promise<IO> {
  const stdout = opts.stdout ?? process.stdout
  const stderr = opts.stderr ?? process.stderr
  const stdin = opts.stdin ?? process.stdin
  const env = opts.env ?? process.env
  const stdoutIsTTY = Boolean((stdout as { isTTY?: boolean }).isTTY)
  const stderrIsTTY = Boolean((stderr as { isTTY?: boolean }).isTTY)
  const stdinIsTTY = Boolean((stdin as { isTTY?: boolean }).isTTY)
  const outStyle = await styler(colorWanted(stdoutIsTTY, env, opts.noColor ?? false))
  const errStyle = await styler(colorWanted(stderrIsTTY, env, opts.noColor ?? false))

  const line = (s: string) => {
    stderr.write(s.endsWith('\n') ? s : `${s}\n`)
  }
  return {
    stdout,
    stderr,
    stdin,
    stdoutIsTTY,
    stderrIsTTY,
    stdinIsTTY,
    outStyle,
    errStyle,
    columns: () => (stdoutIsTTY ? ((stdout as { columns?: number }).columns ?? 80) : undefined),
    out: (text) =>
      new Promise<void>((resolve, reject) => {
        if (text.length === 0) return resolve()
        const ok = stdout.write(text, (err) => (err ? reject(writeError(err)) : undefined))
        if (ok) resolve()
        else stdout.once('drain', resolve)
      }),
    note: (text, style) => line(style === 'dim' ? errStyle.dim(safeLines(text)) : safeLines(text)),
    warn: (text) => line(`${errStyle.yellow('mesos: warning:')} ${safe(text)}`),
    error: (message, hints = [], details = []) => {
      line(`${errStyle.red('mesos:')} ${safe(message)}`)
      for (const d of details) line(safe(d))
      for (const h of hints) line(`${errStyle.dim('hint:')} ${safe(h)}`)
    },
  }
}

const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EIO: 'input/output error',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EBADF: 'bad file descriptor',
}

/** A failed write to stdout other than a closed pipe (which ends the run quietly elsewhere). */
function writeError(err: NodeJS.ErrnoException): Error {
  if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return err
  const why = (err.code && WRITE_ERRORS[err.code]) ?? err.code ?? err.message
  return failure(`cannot write output: ${why}`)
}
