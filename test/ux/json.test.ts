/**
 * docs/json.md pinned: the key set and value types of every --json command, and the conventions
 * themselves (integer _bytes, ISO times, no float noise, booleans, hostname not host).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { cleanTestEnv, runCommand, until } from '../helpers/run-command.js'

let sim: Simulator
let home: string

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'mesos-ux-json-'))
  sim = await startSimulator({
    scenario: {
      name: 'json',
      agents: 2,
      frameworks: [
        { name: 'web', user: 'www', tasks: [{ id: 'web.1', agent: 0, cpus: 0.1, mem: 100.5 }, { id: 'web.2', agent: 1, cpus: 0.2, mem: 64 }] },
        { name: 'gone', completed: true, tasks: [{ id: 'gone.1', agent: 1, state: 'TASK_FINISHED' }] },
      ],
    },
    logIntervalMs: 0,
    liveEvents: false,
    eagerSandboxes: true,
    rateLimit: false,
  })
}, 60_000)

afterAll(async () => {
  await sim?.stop()
  rmSync(home, { recursive: true, force: true })
})

async function json(args: string[]): Promise<unknown> {
  const run = await runCommand(args, { home, env: cleanTestEnv(home, { MESOS_MASTER: sim.masterSpec }) })
  const code = await run.done
  expect(code, run.stderr()).toBe(0)
  return JSON.parse(run.stdout())
}

type Row = Record<string, unknown>

/** Keys and the types of their values over every row: what the snapshot pins. */
function shape(rows: Row[]): Record<string, string> {
  const types = new Map<string, Set<string>>()
  for (const r of rows)
    for (const [k, v] of Object.entries(r)) {
      // integers are checked by conventions() (`_bytes`, counts): a number's type here does not hang on its value
      const t = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v
      types.set(k, (types.get(k) ?? new Set()).add(t))
    }
  return Object.fromEntries([...types.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, t]) => [k, [...t].sort().join('|')]))
}

/** The rules of docs/json.md that hold for every row of every command. */
function conventions(rows: Row[]): void {
  for (const r of rows)
    for (const [k, v] of Object.entries(r)) {
      expect(k).toMatch(/^[a-z][a-z0-9_]*$/)
      expect(k).not.toBe('host')
      expect(k).not.toMatch(/_mb$/)
      if (k.endsWith('_bytes') && v !== null) expect(Number.isInteger(v), `${k}=${String(v)}`).toBe(true)
      if (typeof v === 'number') expect(String(v), `${k} has float noise`).not.toMatch(/\.\d{4,}/)
      if (k === 'mtime' || k.endsWith('_time') || k === 'timestamp') expect(v).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
      if (k === 'active' || k === 'completed') expect(typeof v).toBe('boolean')
    }
}

describe('every --json command follows docs/json.md', () => {
  it('ps', async () => {
    const rows = (await json(['ps', '--json'])) as Row[]
    expect(rows.map((r) => r.id)).toEqual(['web.1', 'web.2'])
    conventions(rows)
    expect(shape(rows)).toMatchInlineSnapshot(`
      {
        "agent_id": "string",
        "command": "string",
        "cpu_time_secs": "number",
        "cpus_limit": "number",
        "framework_id": "string",
        "framework_name": "string",
        "hostname": "string",
        "id": "string",
        "mem_limit_bytes": "number",
        "mem_percent": "number",
        "message": "null",
        "rss_bytes": "number",
        "state": "string",
        "user": "string",
      }
    `)
  })

  it('agents: sizes in integer bytes, Mesos MB converted', async () => {
    const rows = (await json(['agents', '--json'])) as Row[]
    conventions(rows)
    const first = sim.task('web.1').agentId
    const row = rows.find((r) => r.id === first)!
    expect(row.mem_used_bytes).toBe(Math.round(100.5 * 1024 * 1024))
    expect(row.cpus_used).toBe(0.1)
    expect(shape(rows)).toMatchInlineSnapshot(`
      {
        "active": "boolean",
        "cpus_total": "number",
        "cpus_used": "number",
        "disk_total_bytes": "number",
        "disk_used_bytes": "number",
        "hostname": "string",
        "id": "string",
        "mem_total_bytes": "number",
        "mem_used_bytes": "number",
        "tasks": "number",
        "version": "string",
      }
    `)
  })

  it('frameworks', async () => {
    const rows = (await json(['frameworks', '-i', '--json'])) as Row[]
    conventions(rows)
    expect(rows.find((r) => r.name === 'web')).toMatchObject({ active: true, completed: false, cpus_used: 0.3, mem_used_bytes: Math.round(164.5 * 1024 * 1024) })
    expect(shape(rows)).toMatchInlineSnapshot(`
      {
        "active": "boolean",
        "completed": "boolean",
        "cpus_used": "number",
        "disk_used_bytes": "number",
        "hostname": "string",
        "id": "string",
        "mem_used_bytes": "number",
        "name": "string",
        "tasks": "number",
      }
    `)
  })

  it('ls and find', async () => {
    mkdirSync(sim.sandboxPath('web.1', 'logs'), { recursive: true })
    sim.appendFile('web.1', 'logs/app.log', 'hello\n')
    for (const cmd of ['ls', 'find']) {
      const rows = (await json([cmd, 'web.1', '--json'])) as Row[]
      expect(rows.length).toBeGreaterThan(0)
      conventions(rows)
      expect(shape(rows)).toEqual({
        gid: 'string',
        mode: 'string',
        mtime: 'string',
        nlink: 'number',
        path: 'string',
        size_bytes: 'number',
        task_id: 'string',
        uid: 'string',
      })
    }
  })

  it('resolve names the master by id and hostname', async () => {
    const r = (await json(['resolve', '--json'])) as Row
    conventions([r])
    expect(r).toMatchObject({ leader: sim.leader!.address, source: 'redirect', version: '1.11.0' })
    expect(shape([r])).toMatchInlineSnapshot(`
      {
        "hostname": "string",
        "id": "string",
        "leader": "string",
        "source": "string",
        "url": "string",
        "version": "string",
      }
    `)
  })

  it('config', async () => {
    const all = (await json(['config', '--json'])) as Row
    expect(Object.keys(all)).toContain('response_timeout')
    expect(all.master).toBe(sim.masterSpec)
    expect(await json(['config', 'response_timeout', '--json'])).toEqual(expect.any(Number))
  })

  it('state is the cluster\'s own JSON; events --json are the master\'s v1 events, one per line', async () => {
    const state = (await json(['state'])) as Row
    expect(state).toHaveProperty('slaves')
    const run = await runCommand(['events', '--json'], { home, env: cleanTestEnv(home, { MESOS_MASTER: sim.masterSpec }) })
    await until(() => run.stdout().includes('\n'), 10_000, 'the first event')
    run.abort()
    await run.done
    const first = JSON.parse(run.stdout().split('\n')[0]!) as Row
    expect(first.type).toBe('SUBSCRIBED')
  })
})
