/**
 * `ps --json` over hundreds of tasks, written row by row: the document is exactly the array
 * formatted whole, in task ID order; an agent that does not answer still gives every row (its
 * tasks' figures null), a warning, and exit 1.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { cleanEnv, runCli } from '../helpers/cli.js'

let home: string
let sim: Simulator

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'mesos-ps-json-'))
  sim = await startSimulator({ scenario: 'scale', agents: 6, tasks: 900, frameworks: 2, logIntervalMs: 0, liveEvents: false })
})
afterAll(async () => {
  await sim?.stop()
  await rm(home, { recursive: true, force: true })
})

const run = (args: string[]) => runCli(args, { env: cleanEnv(home, { MESOS_MASTER: sim.masterSpec }) })

interface Row {
  id: string
  agent_id: string
  cpu_time_secs: number | null
  rss_bytes: number | null
  mem_percent: number | null
}

describe('ps --json, row by row', () => {
  it('is the whole array formatted at once, in task ID order, one row per active task', async () => {
    const r = await run(['ps', '--json'])
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.stdout) as Row[]
    expect(r.stdout.length).toBeGreaterThan(3 * 65536)
    expect(r.stdout).toBe(`${JSON.stringify(rows, null, 2)}\n`)
    const ids = rows.map((x) => x.id)
    expect(ids).toEqual([...ids].sort())
    expect(new Set(ids).size).toBe(ids.length)
    const running = [...sim.cluster.frameworks.values()].flatMap((f) => [...f.tasks]).filter((t) => t.state === 'TASK_RUNNING')
    expect(rows).toHaveLength(running.length)
    expect(rows.every((x) => x.rss_bytes !== null && x.cpu_time_secs !== null)).toBe(true)
  })

  it('an agent down: every row still, its tasks without figures, a warning, exit 1', async () => {
    const down = sim.agents[2]!.id
    await sim.stopAgent(down)
    try {
      const r = await run(['ps', '--json'])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/^mesos: warning: no statistics from agent .*\n/m)
      expect(r.stderr).toMatch(/statistics missing for tasks on 1 agent\(s\)/)
      const rows = JSON.parse(r.stdout) as Row[]
      expect(r.stdout).toBe(`${JSON.stringify(rows, null, 2)}\n`)
      const on = rows.filter((x) => x.agent_id === down)
      expect(on.length).toBeGreaterThan(0)
      expect(on.every((x) => x.cpu_time_secs === null && x.rss_bytes === null && x.mem_percent === null)).toBe(true)
      expect(rows.filter((x) => x.agent_id !== down).every((x) => x.rss_bytes !== null)).toBe(true)
      expect(rows.map((x) => x.id)).toEqual(rows.map((x) => x.id).sort())
    } finally {
      await sim.startAgent(down)
    }
  })
})
