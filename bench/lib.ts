/** Small helpers shared by the benchmarks: timing child processes and summarising runs. */
import { execFileSync, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const BIN = join(ROOT, 'bin', 'run.js')

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** Runs a command with stdout discarded (counted); returns wall time in ms and bytes seen. */
export function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; bytes: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'inherit'] })
    let bytes = 0
    child.stdout.on('data', (c: Buffer) => {
      bytes += c.length
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, bytes, code }))
  })
}

export async function repeat(n: number, fn: () => Promise<number>): Promise<number> {
  const xs: number[] = []
  for (let i = 0; i < n; i++) xs.push(await fn())
  return median(xs)
}

/** Whether `cmd` can be run here (the curl baselines are skipped on a machine without curl). */
export function haveCommand(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
