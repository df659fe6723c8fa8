/**
 * Issue 12, defect 4: nothing keeps a run alive past its timeout or its signal: a master that
 * trickles its answer (a deadline over headers and body, not an idle timer), a FIFO with no writer
 * as the spec file, a ZooKeeper that never answers; and no timer overflows node's 2^31-1 ms.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readdirSync, readlinkSync } from 'node:fs'
import { startCli, until } from '../helpers/cli.js'
import { refusedPort } from '../helpers/ports.js'
import { captureListener, oneLineError, run, scratchHome, trickleServer } from './hostile.js'

const SLACK_MS = 3000

describe('a trickling master', () => {
  it('--timeout 3 agents ends at the deadline though bytes keep coming (exit 4)', async () => {
    const t = await trickleServer(JSON.stringify({ slaves: [], frameworks: [] }).padEnd(400, ' '), 300)
    try {
      const h = scratchHome({ default: { master: `127.0.0.1:${t.port}`, cache_ttl: 0 } })
      const r = await run(['agents', '--timeout', '3'], h.env())
      console.log(`trickle deadline: agents --timeout 3 took ${r.ms} ms`)
      expect(r.code).toBe(4)
      expect(r.stderr).toMatch(/^mesos: master 127\.0\.0\.1:\d+ did not answer within 3s$/m)
      expect(oneLineError(r.stderr)).toBeUndefined()
      expect(r.ms).toBeLessThan(3000 + SLACK_MS)
    } finally {
      await t.close()
    }
  })

  it('--timeout 3 ps (the streamed state) ends at the deadline too', async () => {
    const t = await trickleServer(`{"slaves": [], "frameworks": [${' '.repeat(400)}]}`, 300)
    try {
      const h = scratchHome({ default: { master: `127.0.0.1:${t.port}`, cache_ttl: 0 } })
      const r = await run(['ps', '--timeout', '3'], h.env())
      console.log(`trickle deadline: ps --timeout 3 took ${r.ms} ms`)
      expect(r.code).not.toBe(0)
      expect(r.stderr).toMatch(/did not answer within 3s/)
      expect(r.ms).toBeLessThan(3000 + SLACK_MS)
    } finally {
      await t.close()
    }
  })
})

/** Whether process `pid` holds `path` open (it is waiting on it). */
function holds(pid: number | undefined, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path
      } catch {
        return false
      }
    })
  } catch {
    return false
  }
}

describe('a FIFO with no writer as the master spec file', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} while the run waits on it ends the run promptly (exit ${code})`, async () => {
      const h = scratchHome({})
      const fifo = join(h.home, 'fifo')
      execFileSync('mkfifo', [fifo])
      const cli = startCli(['agents', '--master', `file://${fifo}`, '--timeout', '60'], h.env())
      expect(await until(() => holds(cli.child.pid, fifo), 10_000)).toBe(true)
      cli.child.kill(signal)
      // a bound, not a wait: a run still blocked on the FIFO after it is killed off as hung
      const bound = setTimeout(() => cli.child.kill('SIGKILL'), 5000)
      const exited = await cli.exited()
      clearTimeout(bound)
      expect(exited).toBe(code)
    })
  }

  it('the timeout ends it with one line (exit 4)', async () => {
    const h = scratchHome({})
    const fifo = join(h.home, 'fifo')
    execFileSync('mkfifo', [fifo])
    const r = await run(['agents', '--master', `file://${fifo}`, '--timeout', '1'], h.env())
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(/^mesos: master spec file .*fifo gave no spec within 1s$/m)
    expect(oneLineError(r.stderr)).toBeUndefined()
    expect(r.ms).toBeLessThan(1000 + SLACK_MS)
  })
})

describe('a ZooKeeper that never answers', () => {
  it('SIGTERM while resolving ends the run (exit 143)', async () => {
    const silent = await captureListener()
    const h = scratchHome({ default: { zk_timeout: 60 } })
    const cli = startCli(['agents', '--master', `zk://127.0.0.1:${silent.port}/mesos`], h.env())
    try {
      // the lookup has started once the server has a connection
      const connected = await until(() => silent.connections() > 0, 10_000)
      expect(connected).toBe(true)
      const t0 = Date.now()
      cli.child.kill('SIGTERM')
      expect(await cli.exited()).toBe(143)
      expect(Date.now() - t0).toBeLessThan(3000)
    } finally {
      await silent.close()
    }
  })
})

describe('timers', () => {
  it('the longest timeout a config may hold runs without TimeoutOverflowWarning', async () => {
    const port = await refusedPort()
    const h = scratchHome({ default: { master: `127.0.0.1:${port}`, response_timeout: 2147483, zk_timeout: 2147483, cache_ttl: 0 } })
    const r = await run(['agents'], h.env())
    expect(r.code).toBe(4)
    expect(r.stderr).not.toMatch(/Warning/)
    expect(oneLineError(r.stderr)).toBeUndefined()
  })

  it('a timeout beyond what a timer can hold is a config error naming the key (exit 2)', async () => {
    const h = scratchHome({ default: { master: 'h:1', response_timeout: 1e9 } })
    const r = await run(['agents'], h.env())
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^mesos: invalid response_timeout 1000000000 in profile "default"/m)
    expect(r.stderr).not.toMatch(/Warning/)
  })
})
