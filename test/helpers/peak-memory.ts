/** The peak resident memory of a child process (VmHWM), sampled from /proc until it exits. */
import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'

export function peakMemoryKb(child: ChildProcess): Promise<number> {
  let peakKb = 0
  const sample = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0))
    } catch {
      // exited
    }
  }, 20)
  return new Promise((resolve) =>
    child.on('close', () => {
      clearInterval(sample)
      resolve(peakKb)
    }),
  )
}
