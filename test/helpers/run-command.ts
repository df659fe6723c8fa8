/**
 * Commands run in-process: `runCommand(argv)` goes through the same runner as the binary, with
 * captured streams, a clean environment and an injected clock, so follow loops and reconnects are
 * driven by the test (advance the clock) instead of real sleeps.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../../src/cli/main.js'
import type { Clock } from '../../src/core/deps/index.js'
import { captureIO } from './io.js'

/** A clock that moves only when the test says so. */
export class TestClock implements Clock {
  private t = Date.UTC(2026, 10, 30, 12, 0, 0)
  private waiters: { at: number; resolve: () => void }[] = []

  now(): number {
    return this.t
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const onAbort = () => {
        this.waiters = this.waiters.filter((x) => x !== w)
        reject(signal?.reason)
      }
      // as the system clock does: a sleep that ends takes its listener away (else a long follow
      // loop piles them up on the run's signal: MaxListenersExceededWarning)
      const w = {
        at: this.t + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      this.waiters.push(w)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** How many sleeps are waiting: a follow loop waiting for its next round has one. */
  get sleeping(): number {
    return this.waiters.length
  }

  advance(ms: number): void {
    this.t += ms
    const due = this.waiters.filter((w) => w.at <= this.t)
    this.waiters = this.waiters.filter((w) => w.at > this.t)
    for (const w of due) w.resolve()
  }
}

export interface CommandRun {
  /** The exit code, once the command ends. */
  done: Promise<number>
  stdout(): string
  stderr(): string
  /** Interrupts the run (as Ctrl-C would cancel its requests). */
  abort(): void
}

export interface RunOptions {
  clock?: Clock
  env?: NodeJS.ProcessEnv
  home?: string
  tty?: boolean
}

export function cleanTestEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, NO_COLOR: '1', MESOS_CLI_CACHE_DIR: join(home, '.cache-mesos'), ...extra }
}

export async function runCommand(argv: string[], o: RunOptions = {}): Promise<CommandRun> {
  const home = o.home ?? mkdtempSync(join(tmpdir(), 'mesos-cmd-'))
  const env = o.env ?? cleanTestEnv(home)
  const cap = await captureIO({ tty: o.tty })
  const controller = new AbortController()
  const done = runCli(argv, { io: cap.io, env, home, cwd: home, clock: o.clock, signal: controller.signal })
  return { done, stdout: cap.stdout, stderr: cap.stderr, abort: () => controller.abort(new Error('interrupted')) }
}

/** Waits (without a fixed sleep) until `cond` holds, polling on the event loop; fails after `ms`. */
export async function until(cond: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now()
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
