/**
 * Signs of life on a terminal (spec 1.1): once a command has waited half a second, a spinner line
 * on stderr says what it waits for; it disappears for good when output begins or the waiting ends.
 * Every diagnostic written meanwhile clears the line first, so nothing is garbled. Streaming
 * commands announce themselves with one dim start line instead.
 */
import type { IO } from '../../core/output/io.js'
import { safe } from '../../core/output/terminal.js'

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
const CLEAR = '\r\x1b[2K'

export interface SpinnerOptions {
  /** What it waits for until a service says more. */
  initial: string
  delayMs?: number
  intervalMs?: number
}

export interface LiveIO {
  io: IO
  /** Removes the line and stops for good. */
  stop(): void
}

/** An IO that shows a spinner on stderr while the command waits; `io` must have a terminal on stderr. */
export function withSpinner(io: IO, o: SpinnerOptions): LiveIO {
  let text: string | undefined = o.initial
  let frame = 0
  let shown = false
  let done = false
  const err = io.stderr
  const draw = () => {
    if (done || text === undefined) return
    err.write(`${CLEAR}${io.errStyle.cyan(FRAMES[frame++ % FRAMES.length]!)} ${io.errStyle.dim(safe(text))}`)
    shown = true
  }
  const clear = () => {
    if (shown) err.write(CLEAR)
    shown = false
  }
  const stop = () => {
    if (done) return
    done = true
    clearTimeout(delay)
    clearInterval(ticker)
    clear()
  }
  let ticker: NodeJS.Timeout | undefined
  const delay = setTimeout(() => {
    draw()
    ticker = setInterval(draw, o.intervalMs ?? 100)
    ticker.unref()
  }, o.delayMs ?? 500)
  delay.unref()
  /** A diagnostic line: the spinner makes way, then comes back below it. */
  const around =
    <A extends unknown[]>(f: (...a: A) => void) =>
    (...a: A) => {
      const was = shown
      clear()
      f(...a)
      if (was) draw()
    }
  const live: IO = {
    ...io,
    out: (bytes) => {
      stop()
      return io.out(bytes)
    },
    note: around(io.note),
    warn: around(io.warn),
    error: around(io.error),
    status: (t) => {
      if (t === undefined) return stop()
      text = t
      if (shown) draw()
    },
  }
  return { io: live, stop }
}

/** The one dim line a streaming command prints on a terminal when it starts following. */
export function startLine(io: IO, text: string): void {
  io.status?.(undefined)
  if (io.stderrIsTTY) io.note(text, 'dim')
}
