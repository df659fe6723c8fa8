/**
 * Questions on the terminal, as OpenSSH asks them: a passphrase (not echoed) and yes/no for a new
 * host key. Only ever called when stdin is a TTY; the prompt goes to stderr.
 */
import type { ReadStream } from 'node:tty'
import { ExitCode } from '../errors.js'
import { exitNow, onExit } from '../lifecycle.js'
import type { IO } from '../output/io.js'

function readLine(io: IO, question: string, echo: boolean): Promise<string> {
  const stdin = io.stdin as ReadStream
  io.stderr.write(question)
  return new Promise((resolve) => {
    let text = ''
    const wasRaw = stdin.isRaw
    stdin.setRawMode?.(true)
    const restore = () => stdin.setRawMode?.(wasRaw)
    const forget = onExit(restore)
    const done = (value: string) => {
      stdin.off('data', onData)
      stdin.pause()
      restore()
      forget()
      io.stderr.write('\n')
      resolve(value)
    }
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(text)
        if (ch === '\u0003') {
          restore()
          io.stderr.write('\n')
          exitNow(ExitCode.sigint)
        }
        if (ch === '\u0004') return done(text)
        if (ch === '\u007f' || ch === '\b') {
          if (text.length > 0) {
            text = text.slice(0, -1)
            if (echo) io.stderr.write('\b \b')
          }
          continue
        }
        text += ch
        if (echo) io.stderr.write(ch)
      }
    }
    stdin.on('data', onData)
    stdin.resume()
  })
}

export const askSecret = (io: IO, question: string) => readLine(io, question, false)
export const askLine = (io: IO, question: string) => readLine(io, question, true)
