/** Fault injection, request accounting, reproducibility and clean shutdown. */
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAction, type Simulator, startControl, startSimulator } from '../../src/sim/index.js'
import { get, type J, post } from './http.js'

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port })
    s.once('connect', () => {
      s.destroy()
      resolve(false)
    })
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'))
  })

describe('controls', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'flink', seed: 9, logIntervalMs: 0, liveEvents: false, rateLimit: false })
  })
  afterAll(() => sim.stop())

  it('stopAgent makes its port refuse connections; startAgent brings it back on the same port', async () => {
    const a = sim.agents[1]!
    await sim.stopAgent(a.id)
    expect(await refused(a.port)).toBe(true)
    // the master still lists it, as Mesos does until the agent times out
    expect((await get(`${sim.leader!.url}/master/slaves`)).json().slaves.length).toBe(3)
    await sim.startAgent(a.id)
    expect((await get(`${a.url}/state`)).json().id).toBe(a.id)
  })

  it('an unreachable agent leaves slaves; its tasks are TASK_UNREACHABLE until it re-registers', async () => {
    const m = sim.leader!.url
    const tm = sim.task('taskmanager-00001')
    const agentId = tm.agentId
    await sim.markAgentUnreachable(agentId)
    const port = sim.agents.find((a) => a.id === agentId)!.port
    expect(await refused(port)).toBe(true)
    const s = (await get(`${m}/master/state`)).json()
    expect(s.slaves.map((a: J) => a.id)).not.toContain(agentId)
    expect(s.unreachable_slaves).toBe(1)
    expect((await get(`${m}/master/state`)).text).toContain('"unreachable_slaves":1.0')
    const flink = s.frameworks.find((f: J) => f.name === 'Flink')
    const un = flink.unreachable_tasks.find((t: J) => t.id === 'taskmanager-00001')
    expect(un.state).toBe('TASK_UNREACHABLE')
    expect(flink.tasks.map((t: J) => t.id)).not.toContain('taskmanager-00001')
    const t = (await get(`${m}/master/tasks?task_id=taskmanager-00001`)).json().tasks
    expect(t.map((x: J) => x.state)).toContain('TASK_UNREACHABLE')
    const sum = (await get(`${m}/master/state-summary`)).json()
    expect(sum.frameworks.find((f: J) => f.name === 'Flink').TASK_UNREACHABLE).toBeGreaterThan(0)
    const v1 = (await post(`${m}/api/v1`, { type: 'GET_TASKS' })).json().get_tasks
    expect(v1.unreachable_tasks.map((x: J) => x.task_id.value)).toContain('taskmanager-00001')
    expect((await get(`${m}/master/slaves`)).json().slaves.map((a: J) => a.id)).not.toContain(agentId)

    await sim.reregisterAgent(agentId)
    const back = (await get(`${m}/master/state`)).json()
    const again = back.slaves.find((a: J) => a.id === agentId)
    expect(again.reregistered_time).toBeGreaterThan(again.registered_time)
    const task = back.frameworks.find((f: J) => f.name === 'Flink').tasks.find((x: J) => x.id === 'taskmanager-00001')
    expect(task.statuses.map((x: J) => x.state).slice(-2)).toEqual(['TASK_UNREACHABLE', 'TASK_RUNNING'])
    expect(back.unreachable_slaves).toBe(0)
    expect((await get(`${sim.agents.find((a) => a.id === agentId)!.url}/state`)).status).toBe(200)
  })

  it('agents can be named by index', async () => {
    await sim.stopAgent('2')
    expect(await refused(sim.agents[2]!.port)).toBe(true)
    await sim.startAgent('2')
    expect(await refused(sim.agents[2]!.port)).toBe(false)
  })

  it('slowAgent adds latency to every request', async () => {
    const a = sim.agents[0]!
    sim.slowAgent(a.id, 300)
    const t0 = Date.now()
    await get(`${a.url}/state`)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290)
    sim.slowAgent(a.id, 0)
  })

  it('failEndpoint answers a path with a status, a number of times, on chosen servers', async () => {
    const m = sim.leader!.url
    sim.failEndpoint('/master/state', 503, { times: 2 })
    expect((await get(`${m}/master/state`)).status).toBe(503)
    expect((await get(`${m}/state`)).status).toBe(503)
    expect((await get(`${m}/master/state`)).status).toBe(200)
    sim.failEndpoint('/state', 500, { target: 'agents' })
    expect((await get(`${sim.agents[0]!.url}/state`)).status).toBe(500)
    expect((await get(`${sim.agents[0]!.url}/slave(1)/state`)).status).toBe(500)
    expect((await get(`${m}/master/state`)).status).toBe(200)
    sim.clearFaults()
    expect((await get(`${sim.agents[0]!.url}/state`)).status).toBe(200)
  })

  it('counts requests per agent and per path', async () => {
    sim.resetRequests()
    for (const a of sim.agents) await get(`${a.url}/slave(1)/monitor/statistics`)
    await get(`${sim.agents[0]!.url}/state`)
    const per = sim.requestsPerAgent({ path: '/slave(1)/monitor/statistics' })
    expect([...per.values()]).toEqual([1, 1, 1])
    expect(sim.requestCount({ agent: sim.agents[0]!.id })).toBe(2)
    expect(sim.requestCount({ server: 'agents', path: /state$/ })).toBe(1)
    expect(sim.requestCount({ server: 'masters' })).toBe(0)
    await get(`${sim.agents[0]!.url}/files/read?path=%2Fslave%2Flog&offset=0`)
    expect(sim.requestCount({ path: '/files/read', query: /offset=0/ })).toBe(1)
    expect(sim.requestCount({ path: '/files/read', query: 'path=%2Fslave%2Flog&offset=0' })).toBe(1)
    const rec = sim.requests({ agent: sim.agents[0]!.id, path: '/state' })[0]!
    expect(rec.status).toBe(200)
  })

  it('launch, kill, fail and finish tasks; append to and truncate sandbox files', async () => {
    const t = sim.launchTask({ framework: 'Flink', id: 'extra-1', agent: sim.agents[0]!.id })
    expect(t.state).toBe('TASK_RUNNING')
    sim.appendFile('extra-1', 'stdout', 'hello\n')
    const path = `/frameworks/${t.frameworkId}/executors/extra-1/runs/latest/stdout`
    const size = (await get(`${sim.agents[0]!.url}/files/read?path=${encodeURIComponent(path)}`)).json().offset
    sim.truncateFile('extra-1', 'stdout', 2)
    const after = (await get(`${sim.agents[0]!.url}/files/read?path=${encodeURIComponent(path)}`)).json().offset
    expect(size).toBeGreaterThan(2)
    expect(after).toBe(2)
    sim.failTask('extra-1')
    const s = (await get(`${sim.leader!.url}/master/tasks?task_id=extra-1`)).json().tasks[0]
    expect(s.state).toBe('TASK_FAILED')
    expect(s.statuses.map((x: J) => x.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED'])
    sim.launchTask({ framework: 'Flink', id: 'extra-2' })
    sim.finishTask('extra-2')
    expect(sim.task('extra-2').state).toBe('TASK_FINISHED')
  })

  it('the control endpoint runs the same actions over HTTP', async () => {
    const ctl = await startControl(sim)
    try {
      const r = await fetch(`${ctl.url}/ctl/status`, { method: 'POST' })
      const status = (await r.json()) as J
      expect(status.leader).toBe(sim.leader!.address)
      const bad = await fetch(`${ctl.url}/ctl/kill`, { method: 'POST', body: '{}' })
      expect(bad.status).toBe(400)
      await runAction(sim, 'launch', { id: 'via-ctl', framework: 'Flink' })
      const k = await fetch(`${ctl.url}/ctl/kill`, { method: 'POST', body: JSON.stringify({ task: 'via-ctl' }) })
      expect(k.status).toBe(200)
      expect(sim.task('via-ctl').state).toBe('TASK_KILLED')
    } finally {
      await ctl.close()
    }
  })

  it('a task ID Mesos refuses (validateID) is refused, and nothing is made for it', async () => {
    const ctl = await startControl(sim)
    try {
      const cases: Array<[string, string]> = [
        ['..', "TASK_ERROR (REASON_TASK_INVALID): '..' is disallowed"],
        ['.', "TASK_ERROR (REASON_TASK_INVALID): '.' is disallowed"],
        ['../../escape', "TASK_ERROR (REASON_TASK_INVALID): '../../escape' contains invalid characters"],
        ['a\\b', "TASK_ERROR (REASON_TASK_INVALID): 'a\\b' contains invalid characters"],
        ['tab\there', "TASK_ERROR (REASON_TASK_INVALID): 'tab\there' contains invalid characters"],
        ['', 'TASK_ERROR (REASON_TASK_INVALID): ID must not be empty'],
        ['x'.repeat(256), 'TASK_ERROR (REASON_TASK_INVALID): ID must not be greater than 255 characters'],
      ]
      const before = (await get(`${sim.leader!.url}/master/state`)).json().frameworks.flatMap((f: J) => f.tasks).length
      for (const [id, message] of cases) {
        const r = await fetch(`${ctl.url}/ctl/launch`, { method: 'POST', body: JSON.stringify({ id, framework: 'Flink' }) })
        expect([r.status, ((await r.json()) as J).error]).toEqual([400, message])
      }
      const after = (await get(`${sim.leader!.url}/master/state`)).json().frameworks.flatMap((f: J) => f.tasks).length
      expect(after).toBe(before)
      expect(existsSync(join(sim.workdir, '..', 'escape'))).toBe(false)
      // 255 bytes, a non-ASCII name, a colon and spaces are all fine
      for (const id of ['y'.repeat(255), 'tâche:1 two']) expect(sim.launchTask({ framework: 'Flink', id }).id).toBe(id)
    } finally {
      await ctl.close()
    }
  })
})

describe('reproducibility and scenarios', () => {
  it('the same seed gives the same IDs; another seed does not', async () => {
    const shape = async (seed: number) => {
      const s = await startSimulator({ scenario: 'flink', seed, logIntervalMs: 0, liveEvents: false })
      try {
        const st = (await get(`${s.leader!.url}/master/state`)).json()
        return {
          master: st.id,
          frameworks: st.frameworks.map((f: J) => f.id),
          tasks: st.frameworks.flatMap((f: J) => f.tasks.map((t: J) => [t.id, t.slave_id, t.statuses.at(-1)?.container_status?.container_id.value])),
        }
      } finally {
        await s.stop()
      }
    }
    const a = await shape(42)
    const b = await shape(42)
    const c = await shape(43)
    expect(b).toEqual(a)
    expect(c.master).not.toBe(a.master)
  })

  it('loads a JSON scenario file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-spec-'))
    const file = join(dir, 'spec.json')
    await writeFile(file, JSON.stringify({ agents: 1, frameworks: [{ name: 'x', tasks: [{ id: 'x-1' }, { id: 'x-2', state: 'TASK_FAILED' }] }] }))
    const s = await startSimulator({ scenario: file, logIntervalMs: 0 })
    try {
      const st = (await get(`${s.leader!.url}/master/state`)).json()
      expect(st.frameworks[0].tasks.map((t: J) => t.id)).toEqual(['x-1'])
      expect(st.frameworks[0].completed_tasks.map((t: J) => t.state)).toEqual(['TASK_FAILED'])
    } finally {
      await s.stop()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('rejects an unknown scenario', async () => {
    await expect(startSimulator({ scenario: 'nope' })).rejects.toThrow(/unknown scenario/)
  })
})

describe('clean shutdown', () => {
  it('stop() closes every port and removes its temporary work directory', async () => {
    const s = await startSimulator({ scenario: 'hello', masters: 2, logIntervalMs: 20 })
    const ports = [...s.masters, ...s.agents].map((e) => e.port)
    const dir = s.workdir
    expect(existsSync(join(dir, 'slaves'))).toBe(true)
    await s.stop()
    for (const p of ports) expect(await refused(p)).toBe(true)
    expect(existsSync(dir)).toBe(false)
    await new Promise((r) => setTimeout(r, 60))
    expect(existsSync(dir)).toBe(false)
  })

  it('keeps a work directory it was given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-keep-'))
    const s = await startSimulator({ scenario: 'hello', workdir: dir, logIntervalMs: 0 })
    await s.stop()
    expect(existsSync(join(dir, 'slaves'))).toBe(true)
    await rm(dir, { recursive: true, force: true })
  })
})
