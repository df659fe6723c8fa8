/**
 * Long human views on a terminal go through a pager (spec 1.1): `MESOS_PAGER`, else `PAGER`, else
 * `less -FRX` (quits at once when the text fits, keeps colours, leaves the text on the screen). Off
 * with `--no-pager`, when stdout is not a terminal, or when the pager is empty or `cat`.
 */
import { spawn } from '../../core/child.js'
import type { IO } from '../../core/output/io.js'

export function pagerCommand(env: NodeJS.ProcessEnv): string | undefined {
  const chosen = env.MESOS_PAGER ?? env.PAGER ?? 'less -FRX'
  const cmd = chosen.trim()
  return cmd === '' || cmd === 'cat' ? undefined : cmd
}

const closed = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED'
}

/**
 * Runs `body` with an IO whose stdout feeds the pager; waits for the pager to end. A reader who
 * quits the pager early ends the command quietly, as a closed pipe does.
 */
export async function paged(io: IO, env: NodeJS.ProcessEnv, off: boolean, body: (io: IO) => Promise<void>): Promise<void> {
  const cmd = off || !io.stdoutIsTTY || io.stdout !== process.stdout ? undefined : pagerCommand(env)
  if (!cmd) return body(io)
  const child = spawn('/bin/sh', ['-c', cmd], {
    stdio: ['pipe', 'inherit', 'inherit'],
    env: { ...env, LESS: env.LESS ?? 'FRX', LV: env.LV ?? '-c' },
  })
  const stdin = child.stdin
  let gone = false
  stdin.on('error', () => {
    gone = true
  })
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()))
  child.on('error', () => {
    gone = true
  })
  const pagerIO: IO = {
    ...io,
    stdout: stdin,
    out: (text) =>
      new Promise<void>((resolve, reject) => {
        if (gone) return reject(Object.assign(new Error('pager closed'), { code: 'EPIPE' }))
        if (text.length === 0) return resolve()
        if (stdin.write(text)) resolve()
        else void Promise.race([new Promise((r) => stdin.once('drain', r)), exited]).then(() => resolve())
      }),
  }
  try {
    await body(pagerIO)
  } catch (err) {
    if (!closed(err)) throw err
  } finally {
    stdin.end()
    await exited
  }
}
