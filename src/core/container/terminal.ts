/**
 * The local end of a container TTY: the window size now and on every resize, raw mode while our
 * keystrokes go to the remote side, and the terminal put back on every way out (normal end, error,
 * signal, closed stdout), and the attach escape: Ctrl-P Ctrl-Q detaches, as in Docker.
 */
import { PassThrough, type Readable } from 'node:stream'
import type { ReadStream, WriteStream } from 'node:tty'
import { onExit } from '../lifecycle.js'
import type { IO } from '../output/io.js'
import type { WindowSize } from './protocol.js'

export interface LocalTerminal {
  size(): WindowSize
  /** Calls `fn` with the new size on every resize of our terminal. */
  onResize(fn: (size: WindowSize) => void): void
  restore(): void
}

export function localTerminal(io: IO, raw: boolean): LocalTerminal {
  const out = io.stdout as WriteStream
  const stdin = io.stdin as ReadStream
  const undo: Array<() => void> = []
  const size = (): WindowSize => ({ rows: (io.stdoutIsTTY && out.rows) || 24, columns: (io.stdoutIsTTY && out.columns) || 80 })
  if (raw && io.stdinIsTTY && typeof stdin.setRawMode === 'function') {
    const wasRaw = stdin.isRaw
    stdin.setRawMode(true)
    const back = () => stdin.setRawMode(wasRaw)
    undo.push(onExit(back), back)
  }
  return {
    size,
    onResize(fn) {
      if (!io.stdoutIsTTY) return
      const listener = () => fn(size())
      out.on('resize', listener)
      undo.push(() => out.off('resize', listener))
    },
    restore() {
      for (const fn of undo.splice(0).reverse()) fn()
    },
  }
}

const CTRL_P = 0x10
const CTRL_Q = 0x11

/**
 * stdin as the remote side should get it, minus the detach keys: `detach` is called on Ctrl-P
 * Ctrl-Q, and a lone Ctrl-P waits for the next byte to know what it is.
 */
export function watchDetach(stdin: Readable, detach: () => void): { stream: Readable; stop(): void } {
  const stream = new PassThrough()
  let heldP = false
  const onData = (chunk: Buffer | string) => {
    const bytes = Buffer.from(chunk)
    const pass: number[] = []
    for (const b of bytes) {
      if (heldP) {
        heldP = false
        if (b === CTRL_Q) {
          if (pass.length) stream.write(Buffer.from(pass))
          detach()
          return
        }
        pass.push(CTRL_P)
      }
      if (b === CTRL_P) heldP = true
      else pass.push(b)
    }
    if (pass.length) stream.write(Buffer.from(pass))
  }
  const onEnd = () => stream.end()
  stdin.on('data', onData)
  stdin.once('end', onEnd)
  return {
    stream,
    stop() {
      stdin.off('data', onData)
      stdin.off('end', onEnd)
      stdin.pause()
    },
  }
}
