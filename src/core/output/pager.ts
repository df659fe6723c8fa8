/**
 * Long human output on a terminal goes through a pager (spec 1.1): `MESOS_PAGER`, else `PAGER`,
 * else `less -FRX` (which prints short text and quits). The pager runs synchronously: while it
 * owns the terminal, our own Ctrl-C handling waits, so quitting it leaves nothing behind.
 */
import { spawnSync } from 'node:child_process'
import type { IO } from './io.js'

/** The pager command line, or undefined when output should go straight to stdout. */
export function pagerFor(io: Pick<IO, 'stdoutIsTTY'>, env: NodeJS.ProcessEnv, disabled: boolean): string | undefined {
  if (disabled || !io.stdoutIsTTY) return undefined
  const cmd = (env.MESOS_PAGER ?? env.PAGER ?? 'less -FRX').trim()
  return cmd === '' || cmd === 'cat' ? undefined : cmd
}

/** Shows already-safe text through the pager; false when the pager could not run (print it yourself). */
export function page(command: string, text: string, env: NodeJS.ProcessEnv): boolean {
  const r = spawnSync('/bin/sh', ['-c', command], {
    input: text,
    stdio: ['pipe', 'inherit', 'inherit'],
    env: { LESS: 'FRX', ...env },
  })
  return r.error === undefined && r.status !== 126 && r.status !== 127
}
