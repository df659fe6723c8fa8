/**
 * `mesos __complete` against clusters that answer, that refuse, and that never answer: the cache is
 * shared with the other commands, and a TAB never hangs or prints an error.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEADLINE_MS, tabDeadlineMs } from '../../src/core/completion/main.js'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { cleanEnv, ROOT, runCli } from '../helpers/cli.js'
import { refusedPort, startSilentServer } from '../helpers/ports.js'

let home: string
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'mesos-complete-cluster-'))
})
afterAll(() => rmSync(home, { recursive: true, force: true }))

/** What these tests check is the answer, not the TAB deadline (tested below): a busy machine may take longer. */
const PATIENT = { MESOS_CLI_TAB_DEADLINE_MS: '20000' }

/**
 * The deadline tests set their own deadline. The deadline counts from process start, and on a
 * machine with both cores busy Node alone may take longer than the default 1.2 s to start; a TAB
 * then answers with what it has at once. A 4 s deadline keeps "answers at the deadline" and
 * "answers long before it" apart whatever the load; the margin allows for starting the process.
 */
const DEADLINE = 4000
const AT_DEADLINE = { MESOS_CLI_TAB_DEADLINE_MS: String(DEADLINE) }
const MARGIN = 2500
/** For "answers without waiting": a deadline so long that reaching half of it means it waited. */
const LONG = 10_000
const LONG_DEADLINE = { MESOS_CLI_TAB_DEADLINE_MS: String(LONG) }

it('the TAB deadline is 1.2 s unless MESOS_CLI_TAB_DEADLINE_MS sets another (100 ms to 60 s)', () => {
  expect(DEADLINE_MS).toBe(1200)
  expect(tabDeadlineMs({})).toBe(1200)
  expect(tabDeadlineMs({ MESOS_CLI_TAB_DEADLINE_MS: '4000' })).toBe(4000)
  for (const bad of ['99', '60001', 'soon', '1.5e3x', '']) expect(tabDeadlineMs({ MESOS_CLI_TAB_DEADLINE_MS: bad })).toBe(1200)
})

const complete = (words: string[], extra: NodeJS.ProcessEnv) =>
  runCli(['__complete', ...words], { env: cleanEnv(home, extra), cwd: home })

describe('against the simulator', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'flink', logIntervalMs: 0, liveEvents: false, eagerSandboxes: true })
  })
  afterAll(async () => {
    await sim?.stop()
  })

  it('a cold TAB fetches the state once and caches it; the next TABs ask nobody', async () => {
    const cacheDir = join(home, 'cache-shared')
    const env = { ...PATIENT, MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: cacheDir }
    const before = sim.requestCount({ path: '/master/state' })
    const cold = await complete(['tail', 'taskmanager-0000'], env)
    expect(cold.stdout).toMatch(/^taskmanager-00001\n/)
    expect(cold.stdout.endsWith(':0\n')).toBe(true)
    expect(sim.requestCount({ path: '/master/state' })).toBe(before + 1)
    const warm = await complete(['tail', 'taskmanager-0000'], env)
    expect(warm.stdout).toBe(cold.stdout)
    expect(warm.stderr).toBe('')
    // the other commands read the same index entry: tail finds the task without asking the master
    const tail = await runCli(['tail', '-n', '1', 'taskmanager-00001'], { env: cleanEnv(home, env), cwd: home })
    expect(tail.code).toBe(0)
    expect(sim.requestCount({ path: '/master/state' })).toBe(before + 1)
    expect(readdirSync(cacheDir).length).toBeGreaterThanOrEqual(2)
  })

  it('a cache warmed by another command serves completion', async () => {
    const cacheDir = join(home, 'cache-warmed-by-ls')
    const env = { ...PATIENT, MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: cacheDir }
    expect((await runCli(['ls', 'taskmanager-0000'], { env: cleanEnv(home, env), cwd: home })).code).toBe(0)
    const before = sim.requestCount({ path: '/master/state' })
    const r = await complete(['ls', '-i', 'taskmanager-00003'], env)
    expect(r.stdout).toBe('taskmanager-00003\n:0\n')
    expect(sim.requestCount({ path: '/master/state' })).toBe(before)
  })

  it('cache_ttl 0: no cache is read or written, the answer is still right', async () => {
    const cacheDir = join(home, 'cache-off')
    const cfg = join(home, 'ttl0.json')
    const { writeFileSync } = await import('node:fs')
    writeFileSync(cfg, JSON.stringify({ default: { master: sim.masterSpec, cache_ttl: 0 } }))
    const env = { ...PATIENT, MESOS_CLI_CONFIG: cfg, MESOS_CLI_CACHE_DIR: cacheDir }
    const before = sim.requestCount({ path: '/master/state' })
    // wordcount-00001 finished: it needs -i
    expect((await complete(['cat', 'wordcount'], env)).stdout).toBe('wordcount-00002\n:0\n')
    expect((await complete(['cat', '-i', 'wordcount-0000'], env)).stdout).toBe('wordcount-00001\nwordcount-00002\n:0\n')
    expect(sim.requestCount({ path: '/master/state' })).toBe(before + 2)
    expect(() => readdirSync(cacheDir)).toThrow()
  })

  it('agents for AGENT arguments', async () => {
    const env = { ...PATIENT, MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: join(home, 'cache-agents') }
    const r = await complete(['state', ''], env)
    const ids = sim.agents.map((a) => a.id)
    for (const id of ids) expect(r.stdout).toContain(`${id}\t`)
  })

  it('sandbox paths: directories end with /', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs')
    mkdirSync(sim.sandboxPath('taskmanager-00002', 'conf'), { recursive: true })
    writeFileSync(sim.sandboxPath('taskmanager-00002', 'conf/flink-conf.yaml'), 'a: 1\n')
    const env = { ...PATIENT, MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: join(home, 'cache-paths') }
    expect((await complete(['ls', 'taskmanager-00002', 'co'], env)).stdout).toBe('conf/\n:1\n')
    expect((await complete(['cat', 'taskmanager-00002', 'conf/'], env)).stdout).toBe('conf/flink-conf.yaml\n:0\n')
  })
})

describe('an unreachable cluster', () => {
  let blackhole: Awaited<ReturnType<typeof startSilentServer>>
  let holePort: number
  beforeAll(async () => {
    blackhole = await startSilentServer()
    holePort = blackhole.port
  })
  afterAll(async () => {
    await blackhole.close()
  })

  it.each([
    ['refused', async () => `127.0.0.1:${await refusedPort()}`],
    ['silent', async () => `127.0.0.1:${holePort}`],
    ['ZooKeeper silent', async () => `zk://127.0.0.1:${holePort}/mesos`],
    ['ZooKeeper refused', async () => `zk://127.0.0.1:${await refusedPort()}/mesos`],
  ])('%s master: task completion returns within the deadline, with nothing on stdout or stderr', async (_kind, spec) => {
    const env = { ...AT_DEADLINE, MESOS_MASTER: await spec(), MESOS_CLI_CACHE_DIR: join(home, `cache-${_kind}`) }
    const r = await complete(['tail', 'task'], env)
    expect(r.stdout).toBe(':0\n')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.ms).toBeLessThan(DEADLINE + MARGIN)
  })

  it('commands and flags still complete, without waiting for the cluster', async () => {
    const env = { ...LONG_DEADLINE, MESOS_MASTER: `127.0.0.1:${holePort}` }
    const cmd = await complete(['ta'], env)
    expect(cmd.stdout).toMatch(/^tail\t.*\n:0\n$/)
    expect(cmd.ms).toBeLessThan(LONG / 2) // did not wait for the cluster
    const flag = await complete(['tail', '--inac'], env)
    expect(flag.stdout).toMatch(/^--inactive\t.*\n:0\n$/)
  })

  it('through the bash script: no candidates and no output on the terminal', async () => {
    const script = `source ${join(ROOT, 'completions', 'mesos.bash')}
COMP_WORDS=(mesos tail task); COMP_CWORD=2; COMP_LINE="mesos tail task"; COMP_POINT=15
_mesos; echo "n=\${#COMPREPLY[@]}"`
    const started = Date.now()
    const { mkdirSync, symlinkSync } = await import('node:fs')
    const bin = join(home, 'bin-bash')
    mkdirSync(bin, { recursive: true })
    symlinkSync(join(ROOT, 'bin', 'run.js'), join(bin, 'mesos'))
    const r = await promisify(execFile)('bash', ['--norc', '--noprofile', '-c', script], {
      env: cleanEnv(home, { ...AT_DEADLINE, MESOS_MASTER: `127.0.0.1:${holePort}`, PATH: `${bin}:${process.env.PATH}` }),
    })
    expect(r.stdout).toBe('n=0\n')
    expect(r.stderr).toBe('')
    expect(Date.now() - started).toBeLessThan(DEADLINE + MARGIN)
  })
})

describe('an expired cache and a cluster too slow to refresh it', () => {
  let blackhole: Awaited<ReturnType<typeof startSilentServer>>
  let port: number
  beforeAll(async () => {
    blackhole = await startSilentServer()
    port = blackhole.port
  })
  afterAll(async () => {
    await blackhole.close()
  })

  async function expiredEntry(cacheDir: string, master: string, ageSec: number, fetchMs?: number) {
    const { CompletionCache } = await import('../../src/core/completion/cache.js')
    const at = Date.now() - ageSec * 1000
    const task = (id: string, state: string) => ({ id, name: id, state, frameworkId: 'f', executorId: id, taskGroup: false, agentId: 'S0' })
    await new CompletionCache(cacheDir, 5, master, 'http', () => at).write({
      master,
      fetchedAt: at,
      tasks: [task('task-1', 'TASK_RUNNING'), task('task-2', 'TASK_FINISHED')],
      frameworks: [],
      agents: [],
    }, fetchMs)
  }

  it.each([
    ['silent', () => `127.0.0.1:${port}`],
    ['refusing', async () => `127.0.0.1:${await refusedPort()}`],
  ])('%s master: the expired IDs are offered within the deadline', async (_kind, spec) => {
    const master = await spec()
    const cacheDir = join(home, `cache-expired-${_kind}`)
    await expiredEntry(cacheDir, master, 60)
    const r = await complete(['tail', 'task'], { ...AT_DEADLINE, MESOS_MASTER: master, MESOS_CLI_CACHE_DIR: cacheDir })
    expect(r.stdout).toBe('task-1\n:0\n')
    expect(r.stderr).toBe('')
    expect(r.ms).toBeLessThan(DEADLINE + MARGIN)
  })

  it('a cluster whose last fetch took longer than a TAB can wait: the expired IDs at once', async () => {
    const master = `127.0.0.1:${port}`
    const cacheDir = join(home, 'cache-expired-slow')
    await expiredEntry(cacheDir, master, 60, 30_000)
    const r = await complete(['tail', 'task'], { ...LONG_DEADLINE, MESOS_MASTER: master, MESOS_CLI_CACHE_DIR: cacheDir })
    expect(r.stdout).toBe('task-1\n:0\n')
    expect(r.ms).toBeLessThan(LONG / 2) // did not wait for the refresh
  })

  it('an entry derived from an index another command fetched keeps the measured fetch time', async () => {
    const master = `127.0.0.1:${port}`
    const cacheDir = join(home, 'cache-carry')
    await expiredEntry(cacheDir, master, 60, 30_000)
    const { DiskCache } = await import('../../src/core/cache/disk.js')
    const { CompletionCache } = await import('../../src/core/completion/cache.js')
    const { taskIndexKey } = await import('../../src/core/cache/keys.js')
    const index = { master, fetchedAt: Date.now(), tasks: [], frameworks: [], agents: [] }
    await new DiskCache(cacheDir, 5).set(taskIndexKey(master, 'http'), index)
    expect((await complete(['tail', 'task'], { ...AT_DEADLINE, MESOS_MASTER: master, MESOS_CLI_CACHE_DIR: cacheDir })).stdout).toBe(':0\n')
    const entry = await new CompletionCache(cacheDir, 5, master, 'http').read()
    expect(entry).toMatchObject({ active: '', fetchMs: 30_000 })
  })

  it('not when older than an hour, nor with cache_ttl 0', async () => {
    const master = `127.0.0.1:${await refusedPort()}`
    const cacheDir = join(home, 'cache-expired-old')
    await expiredEntry(cacheDir, master, 2 * 3600)
    expect((await complete(['tail', 'task'], { MESOS_MASTER: master, MESOS_CLI_CACHE_DIR: cacheDir })).stdout).toBe(':0\n')
    const { writeFileSync } = await import('node:fs')
    const cfg = join(home, 'ttl0-expired.json')
    writeFileSync(cfg, JSON.stringify({ default: { master, cache_ttl: 0 } }))
    const fresh = join(home, 'cache-expired-ttl0')
    await expiredEntry(fresh, master, 60)
    expect((await complete(['tail', 'task'], { MESOS_CLI_CONFIG: cfg, MESOS_CLI_CACHE_DIR: fresh })).stdout).toBe(':0\n')
  })
})
