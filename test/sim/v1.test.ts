/** v1 operator API: reference §5.1–5.3 and checklist §8 item 8. */
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecordReader, type Simulator, startSimulator } from '../../src/sim/index.js'
import { type J, post, raw } from './http.js'

let sim: Simulator
let api: string

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'flink', seed: 5, logIntervalMs: 0, liveEvents: false, heartbeatSeconds: 0.2 })
  api = `${sim.leader!.url}/api/v1`
})
afterAll(() => sim.stop())

describe('request and response rules', () => {
  it('only POST: 405 with Allow: POST', async () => {
    const r = await raw(api)
    expect(r.status).toBe(405)
    expect(r.headers.allow).toBe('POST')
  })

  it('400 without Content-Type', async () => {
    const r = await raw(api, { method: 'POST', body: '{"type":"GET_HEALTH"}' })
    expect(r.status).toBe(400)
    expect(r.text).toBe("Expecting 'Content-Type' to be present")
  })

  it('matches Content-Type exactly: a charset parameter is 415', async () => {
    const r = await post(api, { type: 'GET_HEALTH' }, { 'Content-Type': 'application/json; charset=utf-8' })
    expect(r.status).toBe(415)
    expect((await post(api, { type: 'GET_HEALTH' }, { 'Content-Type': 'text/plain' })).status).toBe(415)
  })

  it('400 for a body that does not parse', async () => {
    const r = await post(api, '{nope')
    expect(r.status).toBe(400)
    expect(r.text).toMatch(/^Failed to /)
  })

  it('answers JSON without Accept, with */*, and with application/json', async () => {
    for (const accept of [undefined, '*/*', 'application/json', 'application/*', 'text/html, application/json;q=0.5']) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' }
      if (accept) headers.Accept = accept
      const r = await post(api, { type: 'GET_HEALTH' }, headers)
      expect(r.status, accept).toBe(200)
      expect(r.headers['content-type']).toBe('application/json')
      expect(r.json()).toEqual({ type: 'GET_HEALTH', get_health: { healthy: true } })
    }
  })

  it('406 when JSON is not acceptable', async () => {
    for (const accept of ['text/html', 'application/json;q=0']) {
      const r = await post(api, { type: 'GET_HEALTH' }, { 'Content-Type': 'application/json', Accept: accept })
      expect(r.status, accept).toBe(406)
    }
  })

  it('is served under /master/api/v1 as well', async () => {
    expect((await post(`${sim.leader!.url}/master/api/v1`, { type: 'GET_HEALTH' })).status).toBe(200)
  })
})

describe('calls', () => {
  it('GET_VERSION', async () => {
    const r = (await post(api, { type: 'GET_VERSION' })).json()
    expect(r.get_version.version_info.version).toBe('1.11.0')
  })

  it('GET_MASTER gives master_info with the packed ip and address', async () => {
    const r = (await post(api, { type: 'GET_MASTER' })).json()
    const mi = r.get_master.master_info
    expect(mi.ip).toBe(16777343)
    expect(mi.address).toEqual({ hostname: '127.0.0.1', ip: '127.0.0.1', port: sim.leader!.port })
    expect(mi.id).toBe(sim.leader!.id)
    expect(r.get_master.start_time).toBeGreaterThan(0)
  })

  it('GET_TASKS: IDs as {value}, agent_id, statuses with uuid/source, completed tasks apart', async () => {
    const r = await post(api, { type: 'GET_TASKS' })
    const g = r.json().get_tasks
    const tm = g.tasks.find((t: J) => t.task_id.value === 'taskmanager-00001')
    expect(tm.agent_id.value).toMatch(/-S\d+$/)
    expect(tm.framework_id.value).toMatch(/-\d{4}$/)
    expect(tm).not.toHaveProperty('slave_id')
    expect(tm).not.toHaveProperty('executor_id')
    const st = tm.statuses.at(-1)
    expect(st.source).toBe('SOURCE_EXECUTOR')
    expect(Buffer.from(st.uuid, 'base64').length).toBe(16)
    expect(st.agent_id.value).toBe(tm.agent_id.value)
    expect(tm.resources.find((x: J) => x.name === 'cpus')).toMatchObject({ type: 'SCALAR', scalar: { value: 1 } })
    expect(g.completed_tasks.map((t: J) => t.task_id.value)).toContain('taskmanager-00003')
    expect(r.text).toMatch(/"scalar":\{"value":1\.0\}/)
  })

  it('GET_AGENTS, GET_FRAMEWORKS, GET_STATE', async () => {
    const a = (await post(api, { type: 'GET_AGENTS' })).json().get_agents
    expect(a.agents.length).toBe(3)
    expect(a.agents[0].agent_info.id.value).toMatch(/-S0$/)
    expect(a.agents[0].registered_time.nanoseconds).toBeGreaterThan(1e18)
    const f = (await post(api, { type: 'GET_FRAMEWORKS' })).json().get_frameworks
    expect(f.frameworks.map((x: J) => x.framework_info.name).sort()).toEqual(['Flink', 'batch-wordcount', 'marathon'])
    expect(f.completed_frameworks.length).toBe(1)
    const s = (await post(api, { type: 'GET_STATE' })).json().get_state
    expect(Object.keys(s).sort()).toEqual(['get_agents', 'get_executors', 'get_frameworks', 'get_tasks'])
  })

  it('LIST_FILES and READ_FILE (base64, binary-safe) on /master/log', async () => {
    const l = (await post(api, { type: 'LIST_FILES', list_files: { path: '/master/log' } })).json()
    expect(l.type).toBe('LIST_FILES')
    const r = (await post(api, { type: 'READ_FILE', read_file: { path: '/master/log', offset: 0, length: 20 } })).json()
    expect(r.read_file.size).toBeGreaterThan(20)
    expect(Buffer.from(r.read_file.data, 'base64').length).toBe(20)
  })
})

/** Opens SUBSCRIBE and feeds the body to a RecordReader in randomly split pieces. */
function subscribe(url: string) {
  const events: J[] = []
  let headers: Record<string, unknown> = {}
  const reader = new RecordReader()
  let pending = Buffer.alloc(0)
  let all = Buffer.alloc(0)
  let ended = false
  const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } })
  const ready = new Promise<void>((resolve) => {
    req.on('response', (res) => {
      headers = res.headers
      res.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk])
        all = Buffer.concat([all, chunk])
        // re-split at arbitrary boundaries, down to single bytes
        while (pending.length) {
          const n = Math.max(1, Math.floor(Math.random() * Math.min(pending.length, 7)))
          for (const rec of reader.push(pending.subarray(0, n))) events.push(JSON.parse(rec.toString('utf8')))
          pending = pending.subarray(n)
        }
      })
      res.on('close', () => {
        ended = true
      })
      resolve()
    })
  })
  req.on('error', () => {})
  req.end(JSON.stringify({ type: 'SUBSCRIBE' }))
  return { events, headers: () => headers, raw: () => all, ended: () => ended, ready, close: () => req.destroy() }
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('SUBSCRIBE', () => {
  it('streams RecordIO with Content-Type application/json: SUBSCRIBED, HEARTBEAT, then events', async () => {
    const s = subscribe(api)
    try {
      await s.ready
      expect(s.headers()['content-type']).toBe('application/json')
      expect(s.headers()['content-length']).toBeUndefined()
      await until(() => s.events.length >= 2)
      expect(s.events[0].type).toBe('SUBSCRIBED')
      expect(s.events[0].subscribed.heartbeat_interval_seconds).toBe(0.2)
      expect(s.events[0].subscribed.get_state.get_tasks.tasks.length).toBeGreaterThan(3)
      expect(s.events[1]).toEqual({ type: 'HEARTBEAT' })

      sim.launchTask({ framework: 'Flink', id: 'taskmanager-00099' })
      await until(() => s.events.some((e) => e.type === 'TASK_UPDATED' && e.task_updated.state === 'TASK_RUNNING'))
      const added = s.events.find((e) => e.type === 'TASK_ADDED')
      expect(added.task_added.task.task_id.value).toBe('taskmanager-00099')
      expect(added.task_added.task.state).toBe('TASK_STAGING')
      const upd = s.events.filter((e) => e.type === 'TASK_UPDATED')
      expect(upd.map((e) => e.task_updated.status.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING'])
      expect(upd[0].task_updated.framework_id.value).toMatch(/-\d{4}$/)
      expect(upd[0].task_updated.status.task_id.value).toBe('taskmanager-00099')
      expect(upd[0].task_updated).not.toHaveProperty('task_id')

      sim.killTask('taskmanager-00099')
      await until(() => s.events.some((e) => e.type === 'TASK_UPDATED' && e.task_updated.state === 'TASK_KILLED'))
      const killing = s.events.find((e) => e.type === 'TASK_UPDATED' && e.task_updated.status.state === 'TASK_KILLING')
      expect(killing).toBeDefined()

      sim.removeAgent(sim.agents[2]!.id)
      await until(() => s.events.some((e) => e.type === 'AGENT_REMOVED'))
      expect(s.events.find((e) => e.type === 'AGENT_REMOVED').agent_removed.agent_id.value).toMatch(/-S2$/)

      const newAgent = await sim.addAgent()
      await until(() => s.events.some((e) => e.type === 'AGENT_ADDED'))
      const aa = s.events.find((e) => e.type === 'AGENT_ADDED').agent_added.agent
      expect(aa.agent_info.id.value).toBe(newAgent.id)
      expect(aa.agent_info.port).toBe(newAgent.port)

      const fw = sim.cluster.addFramework({ name: 'late' })
      sim.cluster.completeFramework(fw)
      await until(() => s.events.some((e) => e.type === 'FRAMEWORK_REMOVED'))
      const fa = s.events.find((e) => e.type === 'FRAMEWORK_ADDED').framework_added.framework
      expect(fa.framework_info.name).toBe('late')
      expect(fa.framework_info.id.value).toBe(fw.id)
      expect(s.events.find((e) => e.type === 'FRAMEWORK_REMOVED').framework_removed.framework_info.id.value).toBe(fw.id)

      const beats = s.events.filter((e) => e.type === 'HEARTBEAT').length
      await until(() => s.events.filter((e) => e.type === 'HEARTBEAT').length >= beats + 2, 3000)
    } finally {
      s.close()
    }
  })

  it('frames every record as <length>\\n<payload> with no trailing newline', async () => {
    const s = subscribe(api)
    try {
      await s.ready
      await until(() => s.events.length >= 3)
      let buf = s.raw()
      let n = 0
      // an independent decoder: digits, newline, exactly that many bytes of JSON
      while (buf.length) {
        const m = /^(\d+)\n/.exec(buf.subarray(0, 24).toString('latin1'))
        expect(m).not.toBeNull()
        const len = Number(m![1])
        const start = m![0].length
        if (buf.length < start + len) break
        const payload = buf.subarray(start, start + len).toString('utf8')
        expect(payload.startsWith('{') && payload.endsWith('}')).toBe(true)
        JSON.parse(payload)
        buf = buf.subarray(start + len)
        n++
      }
      expect(n).toBeGreaterThanOrEqual(3)
    } finally {
      s.close()
    }
  })

  it('ends the stream when the master loses leadership', async () => {
    const s = subscribe(api)
    try {
      await s.ready
      await until(() => s.events.length >= 2)
      expect(sim.masterServers[0]!.api.subscribers.size).toBe(1)
      sim.noLeader()
      expect(sim.masterServers[0]!.api.subscribers.size).toBe(0)
      await until(() => s.ended())
      await sim.failover()
    } finally {
      s.close()
    }
  })
})
