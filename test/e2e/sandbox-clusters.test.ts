/**
 * Sandbox commands against clusters that make life harder: a master failover in the middle of
 * `tail -f` (ZooKeeper-elected masters), and old Mesos versions (0.28: no virtual sandbox paths,
 * followers answering with their own state).
 */
import { writeFileSync } from 'node:fs'
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
  name: 'clusters',
  agents: 2,
  frameworks: [{ name: 'svc', tasks: [{ id: 'svc.a', agent: 0 }, { id: 'svc.b', agent: 1 }] }],
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'mesos-clusters-'))
})
afterAll(async () => {
  await rm(home, { recursive: true, force: true })
})


describe('tail -f across a master failover', () => {
  let cluster: ElectedCluster
  let sim: Simulator
  beforeAll(async () => {
    cluster = await startElectedCluster({ scenario, eagerSandboxes: true })
    sim = cluster.sim
  }, ZK_HOOK_MS)
  afterAll(async () => {
    await cluster?.stop()
  })

  it('keeps every line, once, in order, and resolves the new leader', async () => {
    writeFileSync(sim.sandboxPath('svc.a', 'out.log'), '')
    const f = startCli(['tail', '-f', '-s', '0.2', '-n', '0', 'svc', 'out.log'], cleanEnv(home, { MESOS_MASTER: cluster.spec, MESOS_CLI_CACHE_DIR: join(home, 'c1') }))
    // -n 0 starts at the end: append only after its first poll (the size is asked when the request
    // arrives, so the first request alone may still see the appended lines)
    expect(await until(() => sim.requestCount({ path: '/files/read', query: /svc\.a.*out\.log/ }) >= 2, 15_000)).toBe(true)
    for (let i = 0; i < 5; i++) sim.appendFile('svc.a', 'out.log', `pre-${i}\n`)
    if (!(await until(() => f.stdout().includes('pre-4\n')))) throw new Error(`stdout: ${f.stdout()}\nstderr: ${f.stderr()}`)
    const before = sim.leader!.address
    const after = await sim.failover()
    expect(after.address).not.toBe(before)
    for (let i = 0; i < 5; i++) sim.appendFile('svc.a', 'out.log', `post-${i}\n`)
    // a task launched after the failover is found through the new leader
    const late = sim.launchTask({ framework: 'svc', id: 'svc.c', logs: [] })
    sim.appendFile(late.id, 'out.log', 'late\n')
    const seen = await until(() => f.stdout().includes('post-4\n') && f.stdout().includes('late\n'), 15_000)
    if (!seen) throw new Error(`stdout: ${f.stdout()}\nstderr: ${f.stderr()}`)
    f.child.kill('SIGINT')
    expect(await f.exited()).toBe(130)
    const lines = f.stdout().split('\n').filter((l) => l && !l.startsWith('==>'))
    expect(lines).toEqual([...[0, 1, 2, 3, 4].map((i) => `pre-${i}`), ...[0, 1, 2, 3, 4].map((i) => `post-${i}`), 'late'])
    expect(f.stderr()).not.toMatch(/\bat .*\.js:\d+/)
  }, 40_000)
})

describe('Mesos 0.28 (no virtual sandbox paths)', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ scenario, masters: 2, version: '0.28.0', logIntervalMs: 0, liveEvents: false, eagerSandboxes: true })
    writeFileSync(sim.sandboxPath('svc.a', 'stdout'), 'old-a-1\nold-a-2\n')
  }, 60_000)
  afterAll(async () => {
    await sim?.stop()
  })

  const run = (args: string[], master: string) =>
    runCli(args, { env: cleanEnv(home, { MESOS_MASTER: master, MESOS_CLI_CACHE_DIR: join(home, 'c2') }), cwd: home })

  it('finds sandboxes through agent state, whichever master is asked', async () => {
    const follower = sim.masters.find((m) => m.address !== sim.leader!.address)!
    const ls = await run(['ls', 'svc.a'], follower.address)
    expect(ls.code).toBe(0)
    expect(ls.stdout).toMatch(/ stdout\n/)
    const tail = await run(['tail', '-n', '1', 'svc.a'], follower.address)
    expect(tail).toMatchObject({ code: 0, stdout: 'old-a-2\n' })
    const cat = await run(['cat', 'svc.a'], sim.leader!.address)
    expect(cat.stdout).toBe('old-a-1\nold-a-2\n')
    expect(sim.requestCount({ server: 'agents', path: /^\/frameworks\// })).toBe(0)
  })
})

describe('Mesos 1.7 (the last version with the .json routes)', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ scenario, version: '1.7.0', logIntervalMs: 0, liveEvents: false, eagerSandboxes: true })
    writeFileSync(sim.sandboxPath('svc.b', 'stdout'), 'b-1\nb-2\n')
  }, 60_000)
  afterAll(async () => {
    await sim?.stop()
  })

  it('reads sandboxes through the virtual paths', async () => {
    const env = cleanEnv(home, { MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: join(home, 'c3') })
    expect(await runCli(['tail', '-n', '1', 'svc.b'], { env, cwd: home })).toMatchObject({ code: 0, stdout: 'b-2\n' })
    expect((await runCli(['ls', 'svc.b'], { env, cwd: home })).stdout).toMatch(/ stdout\n/)
    expect(sim.requestCount({ server: 'agents', path: '/files/read' })).toBeGreaterThan(0)
    expect(sim.requestCount({ server: 'agents', path: /\/state$/ })).toBe(0)
  })
})
