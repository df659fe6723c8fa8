/** An IO whose streams are captured, for tests of services that print. */
import { PassThrough } from 'node:stream'
import { createIO, type IO } from '../../src/core/output/io.js'

export interface CapturedIO {
  io: IO
  stdout(): string
  stderr(): string
}

export async function captureIO(opts: { tty?: boolean } = {}): Promise<CapturedIO> {
  const out = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number }
  const err = new PassThrough() as PassThrough & { isTTY?: boolean }
  if (opts.tty) {
    out.isTTY = true
    out.columns = 100
    err.isTTY = true
  }
  const outChunks: Buffer[] = []
  const errChunks: Buffer[] = []
  out.on('data', (c: Buffer) => outChunks.push(c))
  err.on('data', (c: Buffer) => errChunks.push(c))
  const io = await createIO({ stdout: out, stderr: err, env: { NO_COLOR: '1' } })
  return {
    io,
    stdout: () => Buffer.concat(outChunks).toString('utf8'),
    stderr: () => Buffer.concat(errChunks).toString('utf8'),
  }
}
