/**
 * `mesos describe` and the `ps` additions end to end: the built CLI against the flink scenario
 * (seeded, so IDs are stable), the JSON shape pinned by a snapshot, the v0 fallback when the v1
 * API is closed to us, terminal safety of cluster text.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { cleanEnv, runCli } from '../helpers/cli.js'

let root: string
let sim: Simulator

const run = (args: string[], s = sim) => runCli(args, { env: cleanEnv(root, { MESOS_MASTER: s.masterSpec }) })
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesos-describe-'))
  sim = await startSimulator({ scenario: 'flink', seed: 13, logIntervalMs: 0, liveEvents: false, eagerSandboxes: true })
}, 60_000)

afterAll(async () => {
  await sim?.stop()
  rmSync(root, { recursive: true, force: true })
})

describe('mesos describe', () => {
  it('tells a failed task\'s story, the failure right under its state', async () => {
    const r = await run(['describe', '-i', 'taskmanager-00003'])
    expect([r.code, r.stderr]).toEqual([0, ''])
    const t = sim.task('taskmanager-00003')
    const lines = r.stdout.split('\n')
    expect(lines.slice(0, 4)).toEqual([
      'ID:           taskmanager-00003',
      'Name:         taskmanager-00003',
      'State:        TASK_FAILED',
      expect.stringMatching(/^Last failure: FAILED at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ: Command exited with status 137 \(REASON_COMMAND_EXECUTOR_FAILED, executor\)$/),
    ])
    expect(lines).toContain(`Framework:    Flink (${t.frameworkId})`)
    expect(lines).toContain(`Agent:        127.0.0.1 (${t.agentId})`)
    expect(lines).toContain('Executor:     taskmanager-00003 (command executor)')
    expect(lines).toContain(`Sandbox:      ${sim.sandboxPath('taskmanager-00003')}`)
    expect(lines).toContain(`Sandbox path: /frameworks/${t.frameworkId}/executors/taskmanager-00003/runs/latest`)
    expect(lines).toContain('Resources:    cpus 1  mem 1.0G  ports 31006-31007')
    expect(lines).toContain('Statuses:')
    expect(lines.at(-5)).toMatch(/^ {2}TIME +STATE +SOURCE +REASON +MESSAGE$/)
    expect(lines.at(-2)).toMatch(/^ {2}\S+ \S+ +FAILED +EXECUTOR +REASON_COMMAND_EXECUTOR_FAILED +Command exited with status 137$/)
  })

  it('--json: one object per task, shape pinned', async () => {
    const r = await run(['describe', '-i', 'flink.', '--json'])
    const tm = await run(['describe', '-i', 'taskmanager-00003', '--json'])
    expect([r.code, tm.code]).toEqual([0, 0])
    const all = [...JSON.parse(r.stdout), ...JSON.parse(tm.stdout)] as Array<{ statuses: Array<{ timestamp: string }>; failure: { timestamp: string } | null }>
    expect(all).toHaveLength(2)
    for (const t of all) for (const s of [...t.statuses, ...(t.failure ? [t.failure] : [])]) expect(s.timestamp).toMatch(ISO)
    const workdir = sim.sandboxPath('taskmanager-00003').split('/slaves/')[0]!
    const pinned = JSON.stringify(all, null, 2).replaceAll(workdir, '<workdir>').replace(/"\d{4}-\d\d-[^"]+Z"/g, '"<time>"')
    expect(pinned).toMatchSnapshot()
  })

  it('several tasks: one block each; no match exits 3 with the completed-task hint', async () => {
    const r = await run(['describe', 'taskmanager'])
    expect(r.stdout.match(/^ID: {10}/gm)).toHaveLength(4)
    const none = await run(['describe', 'wordcount-00001'])
    expect([none.code, none.stderr]).toEqual([3, 'mesos: no task matches "wordcount-00001"\nhint: 1 completed task(s) match; add --inactive\n'])
  })

  it('cluster text is made inert', async () => {
    sim.task('taskmanager-00004').labels = [{ key: 'note', value: 'a\x1b[2J\nState: forged' }]
    const r = await run(['describe', 'taskmanager-00004'])
    expect(r.stdout).toContain('Labels:       note=a\\x1b[2J\\nState: forged\n')
    expect(r.stdout.match(/^State:/gm)).toHaveLength(1)
    const json = JSON.parse((await run(['describe', 'taskmanager-00004', '--json'])).stdout) as Array<{ labels: unknown }>
    expect(json[0]!.labels).toEqual([{ key: 'note', value: 'a\x1b[2J\nState: forged' }])
  })

  it('without the v1 API (401 on the read-write realm): v0 statuses, and a note saying what is missing', async () => {
    const closed = await startSimulator({
      scenario: 'hello',
      logIntervalMs: 0,
      liveEvents: false,
      auth: { principal: 'ops', secret: 'x', realms: ['mesos-master-readwrite'] },
    })
    try {
      const r = await run(['describe', '-i', 'hello-broken', '--json'], closed)
      expect(r.code).toBe(0)
      expect(r.stderr).toBe("mesos: the master's v1 API answered 401; statuses are shown without source, reason and message (v0 state has none)\n")
      const [t] = JSON.parse(r.stdout) as Array<{ state: string; statuses: Array<Record<string, unknown>>; failure: Record<string, unknown> }>
      expect(t!.state).toBe('TASK_FAILED')
      expect(t!.statuses.at(-1)).toMatchObject({ state: 'TASK_FAILED', source: null, reason: null, message: null })
      expect(t!.failure).toMatchObject({ state: 'TASK_FAILED', message: null })
    } finally {
      await closed.stop()
    }
  })
})

describe('mesos ps, the describe additions', () => {
  it('-i adds FRAMEWORK when the tasks span several frameworks; not without -i', async () => {
    const inactive = await run(['ps', '-i'])
    expect(inactive.stdout.split('\n')[0]).toMatch(/ USER +FRAMEWORK +ID$/)
    expect(inactive.stdout).toMatch(/ Flink session cluster \(yesterday\) +taskmanager-00001\n/)
    const active = await run(['ps'])
    expect(active.stdout.split('\n')[0]).toMatch(/ USER +ID$/)
    const one = await run(['ps', '-i', 'taskmanager-0000[23]'])
    expect(one.stdout.split('\n')[0]).toMatch(/ USER +ID$/)
  })

  it('--wide shows the last message of failed tasks; JSON has framework_name and message', async () => {
    const wide = await run(['ps', '-i', '--wide', 'taskmanager-0000[35]'])
    expect(wide.stdout.split('\n')[0]).toMatch(/ ID +MESSAGE$/)
    expect(wide.stdout).toMatch(/ FAILED .* taskmanager-00003 +Command exited with status 137\n/)
    expect(wide.stdout).toMatch(/ RUNNING .* taskmanager-00005 +-\n/)
    const json = JSON.parse((await run(['ps', '-i', '--wide', '--json', 'taskmanager-00003'])).stdout) as Array<Record<string, unknown>>
    expect(json[0]).toMatchObject({ id: 'taskmanager-00003', framework_name: 'Flink', message: 'Command exited with status 137' })
    const plain = JSON.parse((await run(['ps', '-i', '--json', 'taskmanager-00003'])).stdout) as Array<Record<string, unknown>>
    expect(plain[0]).toMatchObject({ framework_name: 'Flink', message: null })
  })
})
