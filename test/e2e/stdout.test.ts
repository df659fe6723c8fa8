/**
 * stdout as a user's shell wires it: a reader that goes away while a stream is idle ends the
 * command (exit 0) without waiting for the next write, and a write that fails (a full disk) is one
 * line naming why, exit 1, never a stack trace.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { BIN, cleanEnv } from '../helpers/cli.js'

let sim: Simulator
let home: string
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'mesos-stdout-'))
  // nothing is appended to any log: every stream below is idle after its first line
  sim = await startSimulator({ scenario: 'hello', logIntervalMs: 0, rateLimit: false })
})
afterAll(async () => {
  await sim?.stop()
})

/** Runs a bash pipeline; resolves with what it printed (the mesos side's exit status last). */
function pipeline(script: string, timeoutMs: number): Promise<{ out: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { env: cleanEnv(home, { MESOS_MASTER: sim.leader!.address, BIN, NODE: process.execPath }) })
    let out = ''
    child.stdout.on('data', (c) => {
      out += c
    })
    child.stderr.on('data', (c) => {
      out += c
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (_code, signal) => {
      clearTimeout(timer)
      resolve({ out, timedOut: signal === 'SIGKILL' })
    })
  })
}

/** Waits (bounded) until the simulator has received `times` requests matching `path` (and `query`). */
async function served(path: string | RegExp, times = 1, query?: RegExp): Promise<void> {
  const end = Date.now() + 15_000
  while (sim.requestCount({ path, ...(query ? { query } : {}) }) < times) {
    if (Date.now() > end) throw new Error(`no request for ${path}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('a closed stdout is noticed while idle', () => {
  // without the watcher an idle stream would poll on for ever after head exits (the bound kills it)
  const headOne = (command: string) => pipeline(`${command} | head -1 >/dev/null; echo "status=\${PIPESTATUS[0]}"`, 20_000)

  it('tail -f | head -1 ends with exit 0', async () => {
    const r = await headOne('"$NODE" "$BIN" tail -f -n 3 hello-1')
    expect(r).toEqual({ out: 'status=0\n', timedOut: false })
  })

  it('events | head -1 ends with exit 0 after the first event', async () => {
    sim.resetRequests()
    const run = headOne('"$NODE" "$BIN" events')
    await served('/api/v1')
    sim.killTask('hello-3')
    const r = await run
    expect(r.timedOut).toBe(false)
    expect(r.out).toMatch(/^status=0$/m)
  })

  it('events --logs | head -1 ends with exit 0 after the first log line', async () => {
    sim.resetRequests()
    const run = headOne('"$NODE" "$BIN" events --logs -s 0.2')
    // the log is followed from its end: write after its second read (the first measures the end)
    await served('/files/read', 2, /master%2Flog/)
    sim.masterServers[0]!.log('a line for the reader that will go away')
    const r = await run
    expect(r.timedOut).toBe(false)
    expect(r.out).toMatch(/^status=0$/m)
  })
})

describe('a write that fails', () => {
  it.each([[['ps']], [['cat', 'hello-1']], [['state']]])('%j > /dev/full: one line, exit 1', async (args) => {
    const r = await pipeline(`"$NODE" "$BIN" ${args.join(' ')} > /dev/full; echo "status=$?"`, 20_000)
    expect(r.out).toBe('mesos: cannot write output: no space left on device\nstatus=1\n')
  })
})
