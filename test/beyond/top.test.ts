/**
 * `mesos top`: the piped snapshot's CPU% against what the simulator's own statistics imply over
 * the same time (fetched by the test before and after), one statistics request per agent per poll,
 * and the live view in tmux: alternate screen, left with the terminal restored on q and Ctrl-C.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { cleanEnv, runCli } from '../helpers/cli.js'
import { Tmux } from '../ssh/tmux.js'

let sim: Simulator
let root: string
let tmux: Tmux

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesos-top-'))
  tmux = new Tmux(root)
  sim = await startSimulator({
    scenario: { name: 'top', agents: 2, frameworks: [{ name: 'flink', tasks: [] }] },
    logIntervalMs: 0,
    liveEvents: false,
    eagerSandboxes: true,
    rateLimit: false,
  })
  // launched now, so the simulated CPU time grows at a nearly steady rate over the test
  sim.launchTask({ framework: 'flink', id: 'tm-busy', cpus: 2, agent: sim.agents[0]!.id })
  sim.launchTask({ framework: 'flink', id: 'tm-calm', cpus: 0.5, agent: sim.agents[1]!.id })
  sim.launchTask({ framework: 'flink', id: 'tm-mid', cpus: 1, agent: sim.agents[1]!.id })
}, 60_000)

afterAll(async () => {
  tmux?.stop()
  await sim?.stop()
  rmSync(root, { recursive: true, force: true })
})

const env = () => cleanEnv(root, { MESOS_MASTER: sim.masterSpec, TERM: 'xterm' })

interface Stat {
  executor_id: string
  statistics: { timestamp: number; cpus_user_time_secs: number; cpus_system_time_secs: number }
}

async function statistics(): Promise<Map<string, { cpu: number; at: number }>> {
  const out = new Map<string, { cpu: number; at: number }>()
  for (const a of sim.agents) {
    const list = (await (await fetch(`${a.url}/slave(1)/monitor/statistics`)).json()) as Stat[]
    for (const s of list) out.set(s.executor_id, { cpu: s.statistics.cpus_user_time_secs + s.statistics.cpus_system_time_secs, at: s.statistics.timestamp })
  }
  return out
}

describe('top, piped', () => {
  it('one snapshot after one interval: CPU% within 10% of what the statistics imply, sorted by it', async () => {
    const before = await statistics()
    sim.resetRequests()
    const r = await runCli(['top', '-s', '2', '--json'], { env: env(), timeoutMs: 30_000 })
    // two polls, one statistics request per agent each
    const perAgent = sim.requestsPerAgent({ path: /monitor\/statistics/ })
    const after = await statistics()
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.stdout) as { id: string; cpu_percent: number; cpus_limit: number; mem_percent: number }[]
    expect(rows.map((x) => x.id)).toEqual(['tm-busy', 'tm-mid', 'tm-calm'])
    for (const row of rows) {
      const [b, a] = [before.get(row.id)!, after.get(row.id)!]
      const implied = ((a.cpu - b.cpu) / (a.at - b.at)) * 100
      expect(Math.abs(row.cpu_percent - implied)).toBeLessThanOrEqual(implied * 0.1)
      expect(row.mem_percent).toBeGreaterThan(0)
    }
    expect([...perAgent.values()]).toEqual([2, 2])
  }, 60_000)

  it('the table has the columns and the tasks, highest CPU first', async () => {
    const r = await runCli(['top', 'tm-', '-s', '1'], { env: env(), timeoutMs: 30_000 })
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^%CPU +CPUS +TIME +RSS +%MEM +STATE +HOST +ID$/)
    expect(lines.slice(1).map((l) => l.split(/\s+/).at(-1))).toEqual(['tm-busy', 'tm-mid', 'tm-calm'])
    expect(lines[1]).toMatch(/^ *\d+\.\d +2\.1 +\d:\d\d:\d\d +\S+ +\d+\.\d +RUNNING /)
  }, 60_000)

  it('-s 0 is a usage error; no matching task is exit 3', async () => {
    expect((await runCli(['top', '-s', '0'], { env: env() })).code).toBe(2)
    expect((await runCli(['top', 'nothing-like-it', '-s', '1'], { env: env() })).code).toBe(3)
  })
})

describe('top, live in a terminal', () => {
  it('draws on the alternate screen, refreshes, and q leaves it with the terminal restored', async () => {
    tmux.start('live', ['top', '-s', '1'], env())
    const screen = await tmux.waitFor('live', (t) => /^ *\d+\.\d +2\.1 .*tm-busy$/m.test(t), 'a CPU figure for tm-busy', 20_000)
    expect(screen).toMatch(/^mesos top - 3 task\(s\) on 2 agent\(s\), every 1s - /m)
    expect(screen).toMatch(/%CPU +CPUS +TIME +RSS +%MEM +STATE +HOST +ID/)
    tmux.keys('live', 'q')
    const after = await tmux.waitFor('live', (t) => t.includes('TERMINAL:'), 'the exit', 10_000)
    expect(after).toContain('EXITED:0')
    expect(after).toContain('TERMINAL:restored')
    expect(after).not.toContain('%CPU') // the alternate screen is gone, the shell's screen is back
  }, 40_000)

  it('keys change the order at once and the header says which: n ID, r reverse, c back to %CPU', async () => {
    tmux.start('sort', ['top', '-s', '1'], env())
    const ids = (t: string) => [...t.matchAll(/ (tm-\w+) *$/gm)].map((m) => m[1]).join(' ')
    // a capture may fall between the header and the rows of one redraw: wait for all three rows
    const drawn = (t: string, header: string) => t.includes(header) && ids(t).split(' ').length === 3
    let screen = await tmux.waitFor('sort', (t) => /^ *\d+\.\d +2\.1 .*tm-busy$/m.test(t), 'a CPU figure for tm-busy', 20_000)
    expect(screen).toMatch(/^mesos top - 3 task\(s\) on 2 agent\(s\), every 1s - sorted by %CPU - /m)
    expect(screen).toMatch(/^keys: c %CPU, m RSS, t TIME, n ID, s STATE, r reverse, q quit$/m)
    tmux.keys('sort', 'n')
    screen = await tmux.waitFor('sort', (t) => drawn(t, 'sorted by ID -'), 'the ID order', 10_000)
    expect(ids(screen)).toBe('tm-busy tm-calm tm-mid')
    tmux.keys('sort', 'r')
    screen = await tmux.waitFor('sort', (t) => drawn(t, 'sorted by ID, reversed'), 'the reversed order', 10_000)
    expect(ids(screen)).toBe('tm-mid tm-calm tm-busy')
    tmux.keys('sort', 'c')
    screen = await tmux.waitFor('sort', (t) => drawn(t, 'sorted by %CPU -') && /^ *\d+\.\d +2\.1 .*tm-busy$/m.test(t), 'the CPU order', 10_000)
    expect(ids(screen)).toBe('tm-busy tm-mid tm-calm')
    tmux.keys('sort', 'q')
    expect(await tmux.waitFor('sort', (t) => t.includes('TERMINAL:'), 'the exit', 10_000)).toContain('EXITED:0')
  }, 60_000)

  it('Ctrl-C leaves it too, with status 130', async () => {
    tmux.start('intr', ['top', '-s', '1'], env())
    await tmux.waitFor('intr', (t) => t.includes('%CPU'), 'the table', 20_000)
    tmux.keys('intr', 'C-c')
    const after = await tmux.waitFor('intr', (t) => t.includes('TERMINAL:'), 'the exit', 10_000)
    expect(after).toContain('EXITED:130')
    expect(after).toContain('TERMINAL:restored')
    expect(after).not.toContain('%CPU')
  }, 40_000)
})
