/**
 * `tail -f` and `events` in-process, driven by the injected clock: each poll round happens when the
 * test advances time, so appends, new tasks, an agent outage and a master failover are followed
 * without a single real sleep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { runCommand, TestClock, until } from '../helpers/run-command.js'

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'hello', logIntervalMs: 0, rateLimit: false })
})
afterAll(async () => {
  await sim?.stop()
})

/** One poll round: wait until the loop sleeps, then wake it. */
async function round(clock: TestClock, ms = 1000): Promise<void> {
  await until(() => clock.sleeping > 0, 15_000, 'the follow loop to wait')
  clock.advance(ms)
}

describe('tail -f on the injected clock', () => {
  it('prints appended lines in order, follows a task that starts later, and rides out an agent outage', async () => {
    const clock = new TestClock()
    const run = await runCommand(['tail', '-f', '-n', '0', 'hello-1*', '--master', sim.leader!.address], { clock })
    await round(clock)
    sim.appendFile('hello-1', 'stdout', 'one\ntwo\n')
    await round(clock)
    await until(() => run.stdout().includes('two\n'), 15_000, 'the appended lines')
    expect(run.stdout()).toBe('one\ntwo\n')

    const agent = sim.task('hello-1').agentId
    await sim.stopAgent(agent)
    await round(clock)
    await until(() => run.stderr().includes('is not answering'), 15_000, 'the outage warning')
    sim.appendFile('hello-1', 'stdout', 'three\n')
    await sim.startAgent(agent)
    await round(clock)
    await until(() => run.stdout().includes('three\n'), 15_000, 'the line written during the outage')

    sim.launchTask({ id: 'hello-10', agent })
    sim.appendFile('hello-10', 'stdout', 'from the new task\n')
    await round(clock)
    await until(() => run.stdout().includes('from the new task'), 15_000, 'the new task').catch((e) => {
      throw new Error(`${e.message}\nstdout: ${run.stdout()}\nstderr: ${run.stderr()}`)
    })
    run.abort()
    await run.done
    expect(run.stdout()).toMatch(/^one\ntwo\nthree\n\n==> hello-10:stdout <==\n(.*\n)*from the new task\n/)
    expect(run.stderr()).toContain('answering again')
  })

  it('a master failover is ridden out: the next rounds read from the new leader', async () => {
    const multi = await startSimulator({ scenario: 'hello', masters: 2, logIntervalMs: 0, rateLimit: false })
    try {
      const clock = new TestClock()
      const run = await runCommand(['tail', '-f', '-n', '0', 'hello-2', '--master', multi.leader!.address], { clock })
      await round(clock)
      await multi.failover()
      multi.appendFile('hello-2', 'stdout', 'after failover\n')
      for (let i = 0; i < 3 && !run.stdout().includes('after failover'); i++) await round(clock)
      await until(() => run.stdout().includes('after failover\n'), 15_000, 'the line after failover')
      run.abort()
      await run.done
      expect(run.stdout()).toBe('after failover\n')
    } finally {
      await multi.stop()
    }
  })
})

describe('tail -f on a cluster with many tasks', () => {
  it('a new match is fetched by its ID (pages of /master/tasks while a burst of tasks fills them), never by a full state read', async () => {
    const big = await startSimulator({ scenario: 'scale', agents: 5, tasks: 400, frameworks: 2, logIntervalMs: 0, rateLimit: false, liveEvents: false })
    try {
      const clock = new TestClock()
      const run = await runCommand(['tail', '-f', '-n', '0', 'late-*', 'stdout', '--master', big.leader!.address], { clock })
      await until(() => run.stderr().includes('no task matches'), 15_000, 'the waiting note')
      const masterRequests = () => big.requests({ server: 'masters' }).map((r) => `${r.path}?${r.query}`)

      // an idle round: one look at the newest tasks
      await round(clock)
      await until(() => clock.sleeping > 0 && masterRequests().some((r) => r.startsWith('/master/tasks')), 15_000, 'the first round')
      big.resetRequests()
      await round(clock)
      await until(() => clock.sleeping > 0 && big.requestCount({ server: 'masters' }) > 0, 15_000, 'an idle round')
      expect(masterRequests()).toEqual(['/master/tasks?limit=100&order=desc'])

      // the match starts first, then 150 more tasks: it is on the second page of the newest
      const late = big.launchTask({ id: 'late-1', logs: ['stdout'] })
      big.appendFile(late.id, 'stdout', 'late line\n')
      const after = Date.now()
      await until(() => Date.now() > after + 1, 1000, 'the next millisecond')
      for (let i = 0; i < 150; i++) big.launchTask({ id: `burst-${i}`, logs: [] })
      big.resetRequests()
      await round(clock)
      await until(() => run.stdout().includes('late line\n'), 15_000, 'the new task\'s line').catch((e) => {
        throw new Error(`${e.message}\nrequests: ${masterRequests().join(' ')}\nstderr: ${run.stderr()}`)
      })
      const seen = masterRequests()
      expect(seen.filter((r) => r.startsWith('/master/state'))).toEqual([])
      expect(seen).toEqual(
        expect.arrayContaining([
          '/master/tasks?limit=100&order=desc',
          '/master/tasks?limit=100&offset=100&order=desc',
          '/master/tasks?task_id=late-1',
        ]),
      )
      expect(seen.length).toBeLessThanOrEqual(4)
      run.abort()
      await run.done
    } finally {
      await big.stop()
    }
  })
})

describe('events on the injected clock', () => {
  it('resubscribes after a master failover, the pause driven by the clock', async () => {
    const multi = await startSimulator({ scenario: 'hello', masters: 2, logIntervalMs: 0, rateLimit: false })
    try {
      const clock = new TestClock()
      const run = await runCommand(['events', '--master', multi.leader!.address], { clock })
      const subscribers = () => multi.masterServers.reduce((n, m) => n + m.api.subscribers.size, 0)
      await until(() => subscribers() === 1, 15_000, 'the first subscription')
      // a first subscription is no news: the start line says it on a terminal, and nothing when piped
      expect(run.stderr()).not.toContain('subscribed to')
      await multi.failover()
      await until(() => run.stderr().includes('lost'), 15_000, 'the lost stream')
      await round(clock, 1000)
      await until(() => (run.stderr().match(/subscribed to/g) ?? []).length === 1, 15_000, 'the resubscription')
      multi.killTask('hello-3')
      await until(() => run.stdout().includes('hello-3 TASK_KILLED'), 15_000, 'an event from the new leader')
      run.abort()
      await run.done
    } finally {
      await multi.stop()
    }
  })
})
