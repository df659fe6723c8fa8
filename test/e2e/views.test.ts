/**
 * Cluster views and events end to end against the simulator: ps statistics (one request per
 * agent, failing and slow agents), frameworks, agents, stable JSON shapes, the event stream across
 * a task's life and a master failover, and the log-following fallback of pre-1.0 masters.
 */
import { appendFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { cleanEnv, runCli, startCli, until } from '../helpers/cli.js'
import { type ElectedCluster, startElectedCluster } from '../helpers/elected.js'
import { ZK_HOOK_MS } from '../helpers/zookeeper.js'

let home: string
const scenario = {
  name: 'views',
  agents: 3,
  frameworks: [
    {
      name: 'web',
      user: 'www',
      tasks: [
        { id: 'web.1', agent: 0, cpus: 0.5, mem: 256 },
        { id: 'web.2', agent: 1, cpus: 0.5, mem: 256 },
        { id: 'web.3', agent: 1, cpus: 0.5, mem: 256 },
        { id: 'web.old', agent: 2, state: 'TASK_FAILED' },
      ],
    },
    { name: 'gone', completed: true, tasks: [{ id: 'gone.1', agent: 2, state: 'TASK_FINISHED' }] },
  ],
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'mesos-views-'))
})
afterAll(async () => {
  await rm(home, { recursive: true, force: true })
})

/** Keys and value types of each object: a breaking change of a --json shape changes this. */
function shape(rows: Record<string, unknown>[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const r of rows) for (const [k, v] of Object.entries(r)) out[k] = [out[k], v === null ? 'null' : typeof v].filter(Boolean).join('|').split('|').filter((x, i, a) => a.indexOf(x) === i).sort().join('|')
  return out
}

describe('ps, frameworks, agents', () => {
  let sim: Simulator
  const run = (args: string[]) =>
    runCli(args, { env: cleanEnv(home, { MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: join(home, 'c-views') }), cwd: home })

  beforeAll(async () => {
    sim = await startSimulator({ scenario, logIntervalMs: 0, liveEvents: false, eagerSandboxes: true, rateLimit: false })
  }, 60_000)
  afterAll(async () => {
    await sim?.stop()
  })

  it('ps shows statistics computed from the agents, with one statistics request per agent', async () => {
    sim.resetRequests()
    const r = await run(['ps', '--json'])
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.stdout) as Record<string, number | string | null>[]
    expect(rows.map((x) => x.id)).toEqual(['web.1', 'web.2', 'web.3'])
    const perAgent = sim.requestsPerAgent({ path: /monitor\/statistics/ })
    expect([...perAgent.values()]).toEqual([1, 1]) // agents 0 and 1 run the active tasks; one request each
    // compare with what the agents report now (CPU time only grows)
    const agent1 = sim.agents.find((a) => a.id === sim.task('web.2').agentId)!
    const stats = (await (await fetch(`${agent1.url}/monitor/statistics`)).json()) as {
      executor_id: string
      statistics: { cpus_limit: number; mem_limit_bytes: number; cpus_user_time_secs: number; cpus_system_time_secs: number }
    }[]
    const s2 = stats.find((s) => s.executor_id === 'web.2')!.statistics
    const row2 = rows.find((x) => x.id === 'web.2')!
    expect(row2.cpus_limit).toBe(s2.cpus_limit) // the task's 0.5 plus the command executor's 0.1
    expect(row2.mem_limit_bytes).toBe(s2.mem_limit_bytes)
    expect(Math.abs((row2.cpu_time_secs as number) - (s2.cpus_user_time_secs + s2.cpus_system_time_secs))).toBeLessThan(2)
    expect(row2.mem_percent).toBe(Math.round(((row2.rss_bytes as number) / (row2.mem_limit_bytes as number)) * 10000) / 100)
    expect(row2.user).toBe('www')
    expect(row2.state).toBe('TASK_RUNNING')
    expect(shape(rows)).toMatchSnapshot()
  })

  it('ps renders the columns of the spec, with --no-headers', async () => {
    const r = await run(['ps', 'web.1'])
    const [header, line] = r.stdout.trimEnd().split('\n')
    expect(header!.trim().split(/\s+/)).toEqual(['TIME', 'STATE', 'RSS', 'CPU', '%MEM', 'COMMAND', 'USER', 'ID'])
    expect(line).toMatch(/^\s*\d+:\d\d:\d\d\s+RUNNING\s+[\d.]+[BKMG]\s+0\.6\s+\d+\.\d\d\s+.+\s+www\s+web\.1$/)
    const bare = await run(['ps', '--no-headers', 'web.1'])
    expect(bare.stdout.split('\n').filter(Boolean)).toHaveLength(1)
  })

  it('an agent that does not answer leaves "-" and a warning, and the partial answer exits 1', async () => {
    const agentId = sim.task('web.2').agentId
    await sim.stopAgent(agentId)
    try {
      const all = await run(['ps'])
      expect(all.code).toBe(1)
      expect(all.stderr).toMatch(/^mesos: warning: no statistics from agent 127\.0\.0\.1 .*connection refused/m)
      const line = all.stdout.split('\n').find((l) => l.endsWith(' web.2'))!
      expect(line).toMatch(/^\s*-\s+RUNNING\s+-\s+-\s+-\s/)
      const specific = await run(['ps', 'web.2'])
      expect(specific.code).toBe(1)
      const other = await run(['ps', 'web.1'])
      expect(other.code).toBe(0)
    } finally {
      await sim.startAgent(agentId)
    }
  })

  it('a slow agent is bounded by --timeout', async () => {
    const agentId = sim.task('web.1').agentId
    sim.slowAgent(agentId, 4000)
    try {
      const r = await run(['ps', '--timeout', '0.5'])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/did not answer within 0\.5s/)
      expect(r.ms).toBeLessThan(3500)
    } finally {
      sim.slowAgent(agentId, 0)
    }
  })

  it('frameworks lists active ones, and completed ones with -i', async () => {
    const r = await run(['frameworks'])
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]!.split(/\s+/)).toEqual(['ID', 'NAME', 'HOST', 'ACTIVE', 'TASKS', 'CPU', 'MEM', 'DISK'])
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(/\sweb\s+127\.0\.0\.1\s+yes\s+3\s+1\.5\s+768M\s/)
    const all = JSON.parse((await run(['frameworks', '-i', '--json'])).stdout)
    expect(all.map((f: { name: string; completed: boolean }) => [f.name, f.completed])).toEqual([
      ['web', false],
      ['gone', true],
    ])
    expect(shape(all)).toMatchSnapshot()
  })

  it('agents shows used/total resources, filters, and the slaves alias', async () => {
    const r = await run(['agents'])
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]!.split(/\s+/)).toEqual(['ID', 'HOSTNAME', 'ACTIVE', 'TASKS', 'CPUS', 'MEM', 'DISK', 'VERSION'])
    expect(lines).toHaveLength(4)
    const agent1 = sim.task('web.2').agentId
    const one = await run(['slaves', agent1, '--json'])
    const rows = JSON.parse(one.stdout)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ id: agent1, tasks: 2, cpus_used: 1, mem_used_bytes: 512 * 1024 * 1024, version: '1.11.0' })
    expect(shape(rows)).toMatchSnapshot()
    const none = await run(['agents', 'no-such-agent'])
    expect(none.code).toBe(3)
  })

  it('an empty listing: nothing on stdout ([] with --json), a note on stderr, exit 0', async () => {
    const empty = await startSimulator({ scenario: { name: 'empty', agents: 1, frameworks: [] }, logIntervalMs: 0 })
    try {
      const env = cleanEnv(home, { MESOS_MASTER: empty.masterSpec, MESOS_CLI_CACHE_DIR: join(home, 'c-empty') })
      const table = await runCli(['ps'], { env, cwd: home })
      expect(table).toMatchObject({ code: 0, stdout: '', stderr: 'mesos: no active tasks (add --inactive for completed ones)\n' })
      const json = await runCli(['frameworks', '--json'], { env, cwd: home })
      expect(json).toMatchObject({ code: 0, stdout: '[]\n', stderr: 'mesos: no frameworks\n' })
    } finally {
      await empty.stop()
    }
  })
})

describe('events', () => {
  let cluster: ElectedCluster
  let sim: Simulator
  beforeAll(async () => {
    cluster = await startElectedCluster({ scenario, heartbeatSeconds: 1 })
    sim = cluster.sim
  }, ZK_HOOK_MS)
  afterAll(async () => {
    await cluster?.stop()
  })

  it('prints a task launched, failed and replaced, across a master failover', async () => {
    const env = cleanEnv(home, { MESOS_MASTER: cluster.spec, MESOS_CLI_CACHE_DIR: join(home, 'c-ev') })
    const ev = startCli(['events'], env)
    const json = startCli(['events', '--json'], env)
    const out = () => ev.stdout()
    const err = () => ev.stderr()
    const nd = () => json.stdout()
    const why = () => `stdout:\n${out()}\nstderr:\n${err()}`
    const subscribers = () => sim.masterServers.reduce((n, m) => n + m.api.subscribers.size, 0)
    expect(await until(() => subscribers() >= 2), why()).toBe(true)
    expect(err()).not.toContain('subscribed to')
    sim.launchTask({ framework: 'web', id: 'tm-1', agent: sim.agents[2]!.id })
    sim.failTask('tm-1')
    sim.launchTask({ framework: 'web', id: 'tm-2', agent: sim.agents[2]!.id })
    expect(await until(() => /TASK_UPDATED tm-2 TASK_RUNNING/.test(out())), why()).toBe(true)

    await sim.failover()
    expect(await until(() => (err().match(/subscribed to master/g) ?? []).length >= 1, 20_000), why()).toBe(true)
    sim.launchTask({ framework: 'web', id: 'tm-3', agent: sim.agents[0]!.id })
    expect(await until(() => /TASK_ADDED tm-3 /.test(out()) && nd().includes('"tm-3"'), 20_000), why()).toBe(true)
    ev.child.kill('SIGINT')
    json.child.kill('SIGINT')
    expect(await ev.exited()).toBe(130)
    await json.exited()

    const host = '127\\.0\\.0\\.1'
    expect(out()).toMatch(new RegExp(`^\\S+Z TASK_ADDED tm-1 TASK_STAGING agent=${host} framework=web$`, 'm'))
    expect(out()).toMatch(new RegExp(`^\\S+Z TASK_UPDATED tm-1 TASK_FAILED agent=${host} framework=web`, 'm'))
    expect(out()).toMatch(/TASK_ADDED tm-2 /)
    expect(out()).not.toMatch(/HEARTBEAT/)
    expect(err()).toMatch(/event stream from master \S+ lost .*; resubscribing in \d+s/)
    for (const line of nd().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow()
    expect(nd()).not.toMatch(/"type":"HEARTBEAT"/)
  }, 90_000)

  it('--since-start replays the snapshot: every agent, then every task in its state, before live events', async () => {
    const env = cleanEnv(home, { MESOS_MASTER: cluster.spec, MESOS_CLI_CACHE_DIR: join(home, 'c-ev2') })
    const ev = startCli(['events', '--since-start'], env)
    const json = startCli(['events', '--since-start', '--json'], env)
    const why = () => `stdout:\n${ev.stdout()}\nstderr:\n${ev.stderr()}`
    const activeIds = sim.activeTasks().map((t) => t.id)
    expect(activeIds.length).toBeGreaterThan(0)
    expect(await until(() => activeIds.every((id) => ev.stdout().includes(` TASK_ADDED ${id} `))), why()).toBe(true)
    sim.launchTask({ framework: 'web', id: 'tm-live', agent: sim.agents[1]!.id })
    expect(await until(() => /TASK_ADDED tm-live /.test(ev.stdout()) && json.stdout().includes('"tm-live"'), 20_000), why()).toBe(true)
    ev.child.kill('SIGINT')
    json.child.kill('SIGINT')
    await ev.exited()
    await json.exited()
    const lines = ev.stdout().trim().split('\n')
    const agentLines = lines.filter((l) => / AGENT_ADDED /.test(l))
    expect(agentLines.length).toBe(sim.agents.length)
    // agents first, then the snapshot's tasks, then what happened since
    expect(lines.findIndex((l) => / TASK_ADDED /.test(l))).toBe(agentLines.length)
    expect(lines.findIndex((l) => / TASK_ADDED tm-live /.test(l))).toBeGreaterThan(lines.findIndex((l) => l.includes(` TASK_ADDED ${activeIds.at(-1)} `)))
    expect(lines.filter((l) => / TASK_ADDED tm-live /.test(l)).length).toBe(1)
    const events = json.stdout().trim().split('\n').map((l) => JSON.parse(l))
    expect(events.filter((e) => e.type === 'AGENT_ADDED').map((e) => e.agent_added.agent.agent_info.id.value).sort()).toEqual(sim.agents.map((a) => a.id).sort())
    expect(events.some((e) => e.type === 'TASK_ADDED' && e.task_added.task.task_id.value === activeIds[0])).toBe(true)
  }, 60_000)
})

describe('events on a pre-1.0 master', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ scenario, version: '0.28.0', logIntervalMs: 0, liveEvents: false })
  }, 60_000)
  afterAll(async () => {
    await sim?.stop()
  })

  it('falls back to following the master and agent logs', async () => {
    const env = cleanEnv(home, { MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: join(home, 'c-logs') })
    const logs = startCli(['events', '-s', '0.2'], env)
    const out = () => logs.stdout()
    const err = () => logs.stderr()
    expect(await until(() => err().includes('no v1 event stream'))).toBe(true)
    // the logs are followed from their end: append once both sizes have been asked
    const asked = (log: RegExp) => sim.requestCount({ path: '/files/read', query: log }) >= 2
    expect(await until(() => asked(/master%2Flog/) && asked(/slave%2Flog/))).toBe(true)
    const master = sim.masterServers[0]!
    appendFileSync(master.logFile, 'I1121 master says hello\n')
    const agent = [...sim.agentServers.values()][0]!
    appendFileSync(agent.logFile, 'I1121 agent says hello\n')
    expect(await until(() => out().includes('master says hello') && out().includes('agent says hello'))).toBe(true)
    logs.child.kill('SIGINT')
    await logs.exited()
    expect(out()).toMatch(/==> master \S+:\/master\/log <==\nI1121 master says hello\n/)
    expect(out()).toMatch(/==> agent 127\.0\.0\.1 \(\S+\):\/slave\/log <==\nI1121 agent says hello\n/)
  }, 30_000)
})
