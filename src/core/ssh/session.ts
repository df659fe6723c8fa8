/**
 * One remote command on an open connection, wired to our terminal: with a pty (raw mode, the
 * window size and its changes, the terminal restored on every way out) or without one (stdout and
 * stderr kept apart). stdin is forwarded, its end sent as EOF. The result is the remote exit status,
 * a signal counting as 128+n.
 */
import { constants } from 'node:os'
import type { ReadStream, WriteStream } from 'node:tty'
import type { Client, ClientChannel, PseudoTtyOptions } from 'ssh2'
import { failure } from '../errors.js'
import { onExit } from '../lifecycle.js'
import type { IO } from '../output/io.js'

export interface RunOptions {
  pty: boolean
  io: IO
  env: NodeJS.ProcessEnv
}

/** 128 + the signal's number, as a shell reports a command killed by it. */
export function signalStatus(signal: string): number {
  const n = (constants.signals as Record<string, number | undefined>)[signal.startsWith('SIG') ? signal : `SIG${signal}`]
  return 128 + (n ?? 0)
}

function windowOf(io: IO): { rows: number; cols: number } {
  const out = io.stdout as WriteStream
  return { rows: out.rows || 24, cols: out.columns || 80 }
}

function open(client: Client, command: string, pty: PseudoTtyOptions | undefined): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    const cb = (err: Error | undefined, channel: ClientChannel) =>
      err ? reject(failure(`cannot start the remote command: ${err.message}`)) : resolve(channel)
    if (pty) client.exec(command, { pty }, cb)
    else client.exec(command, cb)
  })
}

export async function runRemote(client: Client, command: string, o: RunOptions): Promise<number> {
  const { io } = o
  const stdin = io.stdin as ReadStream
  const size = windowOf(io)
  const channel = await open(
    client,
    command,
    o.pty ? { term: o.env.TERM || 'xterm-256color', rows: size.rows, cols: size.cols, width: 0, height: 0 } : undefined,
  )

  const cleanups: Array<() => void> = []
  const cleanup = () => {
    for (const fn of cleanups.splice(0).reverse()) fn()
  }
  if (o.pty && io.stdinIsTTY && typeof stdin.setRawMode === 'function') {
    const wasRaw = stdin.isRaw
    stdin.setRawMode(true)
    const restore = () => stdin.setRawMode(wasRaw)
    cleanups.push(onExit(restore), restore)
  }
  if (o.pty && io.stdoutIsTTY) {
    const resize = () => {
      const s = windowOf(io)
      channel.setWindow(s.rows, s.cols, 0, 0)
    }
    process.on('SIGWINCH', resize)
    cleanups.push(() => process.off('SIGWINCH', resize))
  }

  channel.pipe(io.stdout, { end: false })
  channel.stderr.pipe(io.stderr, { end: false })
  stdin.pipe(channel)
  cleanups.push(() => {
    stdin.unpipe(channel)
    // as with OpenSSH, the end of the remote command ends the run, even while stdin is still open
    stdin.destroy()
  })

  let status: number | undefined
  channel.on('exit', (code: number | null, signal?: string) => {
    status = code ?? (signal ? signalStatus(signal) : undefined)
  })
  try {
    await new Promise<void>((resolve, reject) => {
      channel.on('close', () => resolve())
      client.on('close', () => resolve())
      client.on('error', (err) => reject(failure(`the connection broke: ${err.message}`)))
    })
  } finally {
    cleanup()
  }
  if (status === undefined) throw failure('the remote command ended without an exit status (connection lost?)')
  return status
}
