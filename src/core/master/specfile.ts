/**
 * Reading a `file://` master spec. A spec is one short line, so the file is read only up to a cap;
 * and the path may name a FIFO or a process substitution (`file://<(...)`), whose blocking open()
 * would hold a thread of node's pool so that not even SIGINT could end the process. Such files are
 * opened non-blocking and read as a stream, under the request timeout and the run's signal.
 */
import { closeSync, constants, open as openFd } from 'node:fs'
import { open, realpath, stat } from 'node:fs/promises'
import { Socket } from 'node:net'
import { promisify } from 'node:util'
import { masterError } from '../errors.js'

/** More than this is not a master spec (a 20 MB file is refused, not echoed). */
export const SPEC_FILE_MAX = 64 * 1024

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  switch (code) {
    case 'ENOENT':
      return 'no such file'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EISDIR':
      return 'is a directory'
    case 'ENOTDIR':
      return 'a parent is not a directory'
    case 'ERR_INVALID_FD_TYPE':
      return 'not a file or a pipe'
    case 'ELOOP':
      return 'too many levels of symbolic links'
    default:
      return code ?? (err as Error).message
  }
}

function tooBig(path: string, size: number): Error {
  return masterError(`master spec file ${path} is too large (${size} bytes; a spec is one line)`)
}

export interface SpecFile {
  real: string
  text: string
}

export async function readSpecFile(path: string, opts: { timeoutSec: number; signal?: AbortSignal }): Promise<SpecFile> {
  let real: string
  try {
    real = await realpath(path)
    const st = await stat(real)
    if (st.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' })
    if (st.isFile()) {
      if (st.size > SPEC_FILE_MAX) throw tooBig(path, st.size)
      const fh = await open(real, 'r')
      try {
        const buf = Buffer.alloc(SPEC_FILE_MAX + 1)
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0)
        if (bytesRead > SPEC_FILE_MAX) throw tooBig(path, bytesRead)
        return { real, text: buf.subarray(0, bytesRead).toString('utf8') }
      } finally {
        await fh.close()
      }
    }
    return { real, text: await readStream(path, real, opts) }
  } catch (err) {
    if (err instanceof Error && (err.name === 'MesosError' || err.name === 'AbortError')) throw err
    throw masterError(`cannot read master spec file ${path}: ${reason(err)}`)
  }
}

/** A FIFO, socket or device: non-blocking, bounded in size and time, interruptible. */
async function readStream(path: string, real: string, opts: { timeoutSec: number; signal?: AbortSignal }): Promise<string> {
  const fd = await promisify(openFd)(real, constants.O_RDONLY | constants.O_NONBLOCK)
  let sock: Socket
  try {
    sock = new Socket({ fd, readable: true, writable: false })
  } catch (err) {
    closeSync(fd)
    throw err
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const timer = setTimeout(
      () => finish(masterError(`master spec file ${path} gave no spec within ${opts.timeoutSec}s`)),
      Math.min(Math.round(opts.timeoutSec * 1000), 2 ** 31 - 1),
    )
    const onAbort = () => finish(opts.signal?.reason ?? new Error('aborted'))
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    function finish(err?: unknown): void {
      clearTimeout(timer)
      opts.signal?.removeEventListener('abort', onAbort)
      sock.destroy()
      if (err) reject(err)
      else resolve(Buffer.concat(chunks).toString('utf8'))
    }
    sock.on('data', (c: Buffer) => {
      chunks.push(c)
      size += c.length
      if (size > SPEC_FILE_MAX) finish(tooBig(path, size))
    })
    sock.on('end', () => finish())
    sock.on('error', (err) => finish(err))
    if (opts.signal?.aborted) onAbort()
  })
}
