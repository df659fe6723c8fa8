/** Master v0 endpoints against reference §0–§2 and checklist §8 items 3–5. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { type J, get, numberToken } from './http.js'

let sim: Simulator
let base: string

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'flink', seed: 7, logIntervalMs: 0, liveEvents: false })
  base = sim.leader!.url
})
afterAll(() => sim.stop())

describe('/master/state', () => {
  it('is the same document at /state (delegation) and /master/state, as application/json', async () => {
    const a = await get(`${base}/master/state`)
    const b = await get(`${base}/state`)
    expect(a.status).toBe(200)
    expect(a.headers['content-type']).toBe('application/json')
    expect(b.status).toBe(200)
    expect(Object.keys(b.json())).toEqual(Object.keys(a.json()))
    expect(b.json().id).toBe(a.json().id)
  })

  it('drops a trailing slash', async () => {
    expect((await get(`${base}/master/state/`)).status).toBe(200)
  })

  it('has no .json alias in 1.8 and later', async () => {
    expect((await get(`${base}/master/state.json`)).status).toBe(404)
    expect((await get(`${base}/master/tasks.json`)).status).toBe(404)
  })

  it('writes counts and times as doubles with a fractional part', async () => {
    const r = await get(`${base}/master/state`)
    expect(numberToken(r.text, 'activated_slaves')).toBe('3.0')
    expect(numberToken(r.text, 'deactivated_slaves')).toBe('0.0')
    expect(numberToken(r.text, 'build_time')).toMatch(/^\d+\.\d+$/)
    expect(numberToken(r.text, 'start_time')).toMatch(/\./)
    expect(numberToken(r.text, 'registered_time')).toMatch(/\./)
  })

  it('has the top-level fields of 1.11 and the leader as a pid', async () => {
    const s = (await get(`${base}/master/state`)).json()
    for (const k of ['version', 'build_date', 'start_time', 'elected_time', 'id', 'pid', 'hostname', 'capabilities', 'leader', 'leader_info', 'slaves', 'frameworks', 'completed_frameworks', 'orphan_tasks', 'unregistered_frameworks'])
      expect(s).toHaveProperty(k)
    expect(s.pid).toMatch(/^master@127\.0\.0\.1:\d+$/)
    expect(s.leader).toBe(s.pid)
    expect(s.orphan_tasks).toEqual([])
  })

  it('uses slave_id (never agent_id), executor_id "" for command tasks, resources with all four scalars', async () => {
    const r = await get(`${base}/master/state`)
    expect(r.text).not.toContain('"agent_id"')
    const s = r.json()
    const tasks = s.frameworks.flatMap((f: J) => f.tasks)
    const tm = tasks.find((t: J) => t.id === 'taskmanager-00001')
    expect(tm.executor_id).toBe('')
    expect(tm.slave_id).toMatch(/-S\d+$/)
    expect(Object.keys(tm.resources).slice(0, 4).sort()).toEqual(['cpus', 'disk', 'gpus', 'mem'])
    expect(tm.resources.ports).toMatch(/^\[\d+-\d+(, \d+-\d+)*\]$/)
    expect(r.text).toMatch(/"gpus":0\.0/)
  })

  it('sums scalar resources in fixed point (three decimals), without float noise', async () => {
    const t = (await get(`${base}/master/state`)).text
    expect(t).not.toMatch(/\d\.\d*0000000\d/)
    expect(t).not.toMatch(/\d\.\d*9999999\d/)
  })

  it('writes statuses with only state, timestamp, labels, container_status and healthy', async () => {
    const s = (await get(`${base}/master/state`)).json()
    const statuses = s.frameworks.flatMap((f: J) => [...f.tasks, ...f.completed_tasks]).flatMap((t: J) => t.statuses)
    expect(statuses.length).toBeGreaterThan(5)
    for (const st of statuses)
      for (const k of Object.keys(st)) expect(['state', 'timestamp', 'labels', 'container_status', 'healthy']).toContain(k)
    const running = statuses.find((x: J) => x.state === 'TASK_RUNNING')
    expect(running.container_status.container_id.value).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('derives IDs from the master ID', async () => {
    const s = (await get(`${base}/master/state`)).json()
    expect(s.frameworks[0].id).toMatch(new RegExp(`^${s.id}-\\d{4}$`))
    expect(s.slaves[0].id).toBe(`${s.id}-S0`)
  })

  it('writes labels as a bare array and role xor roles, pid left out for HTTP frameworks', async () => {
    const s = (await get(`${base}/master/state`)).json()
    const marathon = s.frameworks.find((f: J) => f.name === 'marathon')
    const flink = s.frameworks.find((f: J) => f.name === 'Flink')
    expect(marathon.roles).toEqual(['*'])
    expect(marathon).not.toHaveProperty('role')
    expect(flink.role).toBe('*')
    expect(flink).not.toHaveProperty('roles')
    expect(flink).not.toHaveProperty('pid')
    const jm = marathon.tasks.find((t: J) => t.name === 'flink')
    expect(Array.isArray(jm.labels)).toBe(true)
    expect(jm.labels[0]).toEqual({ key: 'MARATHON_SINGLE_INSTANCE_APP', value: 'true' })
  })

  it('has a completed framework and a failed, replaced TaskManager', async () => {
    const s = (await get(`${base}/master/state`)).json()
    expect(s.completed_frameworks.length).toBe(1)
    const flink = s.frameworks.find((f: J) => f.name === 'Flink')
    expect(flink.completed_tasks.map((t: J) => [t.id, t.state])).toContainEqual(['taskmanager-00003', 'TASK_FAILED'])
    expect(flink.tasks.map((t: J) => t.id)).toContain('taskmanager-00005')
    const agents = new Set(flink.tasks.map((t: J) => t.slave_id))
    expect(agents.size).toBeGreaterThan(1)
  })

  it('lists only explicit executors at the master (the pod), never command executors', async () => {
    const s = (await get(`${base}/master/state`)).json()
    const marathon = s.frameworks.find((f: J) => f.name === 'marathon')
    expect(marathon.executors.length).toBe(1)
    expect(marathon.executors[0]).toMatchObject({ type: 'DEFAULT', framework_id: marathon.id })
    expect(marathon.executors[0].executor_id).toMatch(/^instance-sidecars\./)
    expect(marathon.executors[0].slave_id).toMatch(/-S\d+$/)
    expect(s.frameworks.find((f: J) => f.name === 'Flink').executors).toEqual([])
  })

  it('wraps JSONP', async () => {
    const r = await get(`${base}/master/state?jsonp=cb`)
    expect(r.headers['content-type']).toBe('text/javascript')
    expect(r.text.startsWith('cb({')).toBe(true)
  })

  it('gzips bodies of 1024 bytes or more when asked', async () => {
    const r = await get(`${base}/master/state`, { 'Accept-Encoding': 'gzip' })
    expect(r.headers['content-encoding']).toBe('gzip')
    expect(r.body[0]).toBe(0x1f)
    const small = await get(`${base}/version`, { 'Accept-Encoding': 'gzip' })
    expect(small.headers['content-encoding']).toBeUndefined()
  })
})

describe('other v0 endpoints', () => {
  it('/master/health is 200 with an empty body', async () => {
    const r = await get(`${base}/master/health`)
    expect(r.status).toBe(200)
    expect(r.body.length).toBe(0)
  })

  it('/version has build_time as a double', async () => {
    const r = await get(`${base}/version`)
    expect(r.json().version).toBe('1.11.0')
    expect(numberToken(r.text, 'build_time')).toMatch(/\.\d+$/)
  })

  it('/metrics/snapshot is flat with every value a double', async () => {
    const r = await get(`${base}/metrics/snapshot`)
    expect(numberToken(r.text, 'master/elected')).toBe('1.0')
    expect(r.json()['master/tasks_running']).toBeGreaterThan(0)
    for (const m of r.text.matchAll(/":(-?[0-9][0-9.eE+-]*)[,}]/g)) expect(m[1]).toMatch(/[.eE]/)
  })

  it('/metrics/snapshot rejects a bad timeout', async () => {
    const r = await get(`${base}/metrics/snapshot?timeout=soon`)
    expect(r.status).toBe(400)
    expect(r.text).toMatch(/^Invalid timeout 'soon'/)
  })

  it('/master/flags is {flags: {name: string}}', async () => {
    const f = (await get(`${base}/master/flags`)).json().flags
    for (const v of Object.values(f)) expect(typeof v).toBe('string')
  })

  it('/master/state-summary has per-state counts and IDs', async () => {
    const s = (await get(`${base}/master/state-summary`)).json()
    expect(s.hostname).toBe('127.0.0.1')
    const fw = s.frameworks.find((f: J) => f.name === 'Flink')
    expect(fw.TASK_FAILED).toBe(1)
    expect(fw.TASK_RUNNING).toBe(4)
    expect(fw).not.toHaveProperty('TASK_GONE')
    expect(fw.slave_ids.length).toBeGreaterThan(1)
    expect(s.slaves[0].framework_ids.length).toBeGreaterThan(0)
  })

  it('/master/state-summary agrees with /master/state on usage, counts and agent IDs', async () => {
    const s = (await get(`${base}/master/state-summary`)).json()
    const st = (await get(`${base}/master/state`)).json()
    for (const f of st.frameworks as J[]) {
      const sf = (s.frameworks as J[]).find((x) => x.id === f.id)!
      expect(sf.used_resources).toEqual(f.used_resources)
      const all = [...f.tasks, ...f.unreachable_tasks, ...f.completed_tasks] as J[]
      expect(sf.TASK_RUNNING).toBe(all.filter((t) => t.state === 'TASK_RUNNING').length)
      expect(sf.TASK_FINISHED).toBe(all.filter((t) => t.state === 'TASK_FINISHED').length)
      expect(sf.slave_ids).toEqual([...new Set((f.tasks as J[]).map((t) => t.slave_id))])
    }
    for (const a of st.slaves as J[]) {
      const sa = (s.slaves as J[]).find((x) => x.id === a.id)!
      expect(sa.used_resources).toEqual(a.used_resources)
    }
  })

  it('/master/frameworks filters by framework_id and has the three lists', async () => {
    const all = (await get(`${base}/master/frameworks`)).json()
    expect(Object.keys(all).sort()).toEqual(['completed_frameworks', 'frameworks', 'unregistered_frameworks'])
    const id = all.frameworks[1].id
    const one = (await get(`${base}/master/frameworks?framework_id=${id}`)).json()
    expect(one.frameworks.map((f: J) => f.id)).toEqual([id])
    expect(one.completed_frameworks).toEqual([])
  })

  it('/master/slaves filters by slave_id and carries the *_full arrays', async () => {
    const all = (await get(`${base}/master/slaves`)).json()
    expect(all.recovered_slaves).toEqual([])
    const a = all.slaves[2]
    expect(a.pid).toBe(`slave(1)@${a.hostname}:${a.port}`)
    expect(Array.isArray(a.unreserved_resources_full)).toBe(true)
    const one = (await get(`${base}/master/slaves?slave_id=${a.id}`)).json()
    expect(one.slaves.map((s: J) => s.id)).toEqual([a.id])
  })

  it('unknown paths are 404', async () => {
    expect((await get(`${base}/master/nope`)).status).toBe(404)
    expect((await get(`${base}/nope/at/all`)).status).toBe(404)
  })
})

describe('/master/tasks', () => {
  let s2: Simulator
  let u: string
  beforeAll(async () => {
    s2 = await startSimulator({ scenario: 'scale', agents: 3, frameworks: 2, tasks: 250, seed: 3, logIntervalMs: 0 })
    u = s2.leader!.url
  })
  afterAll(() => s2.stop())

  const firstTs = (t: J) => t.statuses[0]?.timestamp

  it('defaults to 100 tasks, newest first status first', async () => {
    const t = (await get(`${u}/master/tasks`)).json().tasks
    expect(t.length).toBe(100)
    for (let i = 1; i < t.length; i++) expect(firstTs(t[i - 1])).toBeGreaterThanOrEqual(firstTs(t[i]))
  })

  it('includes completed tasks', async () => {
    const t = (await get(`${u}/master/tasks?limit=1000`)).json().tasks
    expect(t.length).toBe(250)
    expect(t.some((x: J) => x.state === 'TASK_FINISHED')).toBe(true)
  })

  it('order=asc only as the exact string', async () => {
    const asc = (await get(`${u}/master/tasks?order=asc&limit=5`)).json().tasks
    expect(firstTs(asc[0])).toBeLessThan(firstTs(asc[4]))
    const other = (await get(`${u}/master/tasks?order=ASC&limit=5`)).json().tasks
    expect(firstTs(other[0])).toBeGreaterThan(firstTs(other[4]))
  })

  it('limit and offset page the sorted list; junk means the default, negative unlimited', async () => {
    const all = (await get(`${u}/master/tasks?limit=-1`)).json().tasks
    expect(all.length).toBe(250)
    const page = (await get(`${u}/master/tasks?limit=10&offset=20`)).json().tasks
    expect(page.map((t: J) => t.id)).toEqual(all.slice(20, 30).map((t: J) => t.id))
    expect((await get(`${u}/master/tasks?limit=abc`)).json().tasks.length).toBe(100)
  })

  it('filters by framework_id and task_id exactly', async () => {
    const all = (await get(`${u}/master/tasks?limit=-1`)).json().tasks
    const fw = all[0].framework_id
    const mine = (await get(`${u}/master/tasks?limit=-1&framework_id=${fw}`)).json().tasks
    expect(mine.length).toBe(125)
    const one = (await get(`${u}/master/tasks?task_id=task-000042`)).json().tasks
    expect(one.map((t: J) => t.id)).toEqual(['task-000042'])
    expect((await get(`${u}/master/tasks?task_id=task-00004`)).json().tasks).toEqual([])
  })

  it('puts tasks without statuses (TASK_STAGING) last when descending, first when ascending', async () => {
    s2.launchTask({ id: 'staging-1', until: 'TASK_STAGING' })
    const desc = (await get(`${u}/master/tasks?limit=-1`)).json().tasks
    expect(desc.at(-1).id).toBe('staging-1')
    expect(desc.at(-1).statuses).toEqual([])
    const asc = (await get(`${u}/master/tasks?limit=1&order=asc`)).json().tasks
    expect(asc[0].id).toBe('staging-1')
  })
})
