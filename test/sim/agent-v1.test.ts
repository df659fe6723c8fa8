/**
 * Agent v1 read calls (`src/slave/http.cpp`; shapes from include/mesos/v1/agent/agent.proto) and the
 * master calls GET_ROLES, GET_WEIGHTS, GET_LOGGING_LEVEL, GET_MAINTENANCE_* and frameworks'
 * `allocated_resources` / `offer_constraints` (`model(const Framework&)`, src/master/http.cpp).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { type J, post } from './http.js'

let sim: Simulator
let agentApi: string
let masterApi: string
const call = (api: string, body: J) => post(api, body).then((r) => r.json())

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'hello', seed: 2, logIntervalMs: 0 })
  const a0 = sim.task('hello-1').agentId
  agentApi = `${sim.agents.find((a) => a.id === a0)!.url}/slave(1)/api/v1`
  masterApi = `${sim.leader!.url}/api/v1`
})
afterAll(() => sim.stop())

describe('agent v1 read calls', () => {
  it('GET_HEALTH, GET_VERSION, GET_FLAGS, GET_METRICS', async () => {
    expect(await call(agentApi, { type: 'GET_HEALTH' })).toEqual({ type: 'GET_HEALTH', get_health: { healthy: true } })
    expect((await call(agentApi, { type: 'GET_VERSION' })).get_version.version_info.version).toBe('1.11.0')
    const flags = (await call(agentApi, { type: 'GET_FLAGS' })).get_flags.flags
    expect(flags).toContainEqual({ name: 'hostname', value: '127.0.0.1' })
    const metrics = (await call(agentApi, { type: 'GET_METRICS' })).get_metrics.metrics
    expect(metrics.find((m: J) => m.name === 'slave/tasks_running').value).toBe(2)
  })

  it('GET_TASKS: launched_tasks and completed_tasks as v1 Tasks', async () => {
    const r = (await call(agentApi, { type: 'GET_TASKS' })).get_tasks
    expect(r.launched_tasks.map((t: J) => t.task_id.value).sort()).toEqual(['hello-1', 'hello-3'])
    expect(r.completed_tasks.map((t: J) => t.task_id.value)).toEqual(['hello-broken'])
    expect(r.launched_tasks[0].agent_id.value).toBe(sim.task('hello-1').agentId)
  })

  it('GET_STATE holds get_tasks, get_executors and get_frameworks (no get_agents on an agent)', async () => {
    const s = (await call(agentApi, { type: 'GET_STATE' })).get_state
    expect(Object.keys(s).sort()).toEqual(['get_executors', 'get_frameworks', 'get_tasks'])
    expect(s.get_frameworks.frameworks.map((f: J) => f.framework_info.name)).toEqual(['hello'])
    expect(s.get_executors.executors.map((e: J) => e.executor_info.executor_id.value).sort()).toEqual(['hello-1', 'hello-3'])
    expect(s.get_executors.completed_executors.map((e: J) => e.executor_info.executor_id.value)).toEqual(['hello-broken'])
  })

  it('GET_CONTAINERS lists running executors with status and statistics', async () => {
    const r = (await call(agentApi, { type: 'GET_CONTAINERS' })).get_containers.containers
    const one = r.find((c: J) => c.executor_id.value === 'hello-1')
    expect(one.container_id).toEqual({ value: sim.task('hello-1').containerId })
    expect(one.container_status.container_id).toEqual(one.container_id)
    expect(typeof one.resource_statistics.cpus_limit).toBe('number')
  })

  it('LIST_FILES and READ_FILE on the agent files', async () => {
    const dir = sim.sandboxPath('hello-1')
    const ls = (await call(agentApi, { type: 'LIST_FILES', list_files: { path: dir } })).list_files.file_infos
    expect(ls.map((f: J) => f.path)).toContain(`${dir}/stdout`)
    sim.appendFile('hello-1', 'stdout', 'ABCDEF')
    const size = (await call(agentApi, { type: 'READ_FILE', read_file: { path: `${dir}/stdout`, offset: 0, length: 0 } })).read_file.size
    const r = (await call(agentApi, { type: 'READ_FILE', read_file: { path: `${dir}/stdout`, offset: size - 6 } })).read_file
    expect(Buffer.from(r.data, 'base64').toString()).toBe('ABCDEF')
    expect((await post(agentApi, { type: 'READ_FILE', read_file: { path: '/nope', offset: 0 } })).status).toBe(404)
  })
})

describe('master v1 calls', () => {
  it('GET_ROLES, GET_WEIGHTS, GET_LOGGING_LEVEL, GET_MAINTENANCE_STATUS, GET_MAINTENANCE_SCHEDULE', async () => {
    const roles = (await call(masterApi, { type: 'GET_ROLES' })).get_roles.roles
    expect(roles).toHaveLength(1)
    expect(roles[0].name).toBe('*')
    expect(roles[0].weight).toBe(1)
    expect(roles[0].frameworks).toEqual([{ value: sim.cluster.findTask('hello-1')!.frameworkId }])
    expect(await call(masterApi, { type: 'GET_WEIGHTS' })).toEqual({ type: 'GET_WEIGHTS', get_weights: {} })
    expect(await call(masterApi, { type: 'GET_LOGGING_LEVEL' })).toEqual({ type: 'GET_LOGGING_LEVEL', get_logging_level: { level: 0 } })
    expect(await call(masterApi, { type: 'GET_MAINTENANCE_STATUS' })).toEqual({
      type: 'GET_MAINTENANCE_STATUS',
      get_maintenance_status: { status: {} },
    })
    expect(await call(masterApi, { type: 'GET_MAINTENANCE_SCHEDULE' })).toEqual({
      type: 'GET_MAINTENANCE_SCHEDULE',
      get_maintenance_schedule: { schedule: {} },
    })
  })

  it("frameworks carry allocated_resources (their running tasks') and offer_constraints", async () => {
    const fw = (await call(masterApi, { type: 'GET_FRAMEWORKS' })).get_frameworks.frameworks[0]
    expect(fw.offer_constraints).toEqual({})
    const cpus = fw.allocated_resources.find((r: J) => r.name === 'cpus')
    // three running hello tasks of 0.1 cpus each
    expect(cpus).toEqual({ name: 'cpus', type: 'SCALAR', scalar: { value: 0.3 }, allocation_info: { role: '*' } })
    const state = (await call(masterApi, { type: 'GET_STATE' })).get_state
    expect(state.get_frameworks.frameworks[0].allocated_resources).toEqual(fw.allocated_resources)
  })

  it('a 1.7 master has no offer_constraints', async () => {
    const old = await startSimulator({ scenario: 'hello', version: '1.7.0', logIntervalMs: 0 })
    try {
      const fw = (await call(`${old.leader!.url}/api/v1`, { type: 'GET_FRAMEWORKS' })).get_frameworks.frameworks[0]
      expect(fw.offer_constraints).toBeUndefined()
      expect(fw.allocated_resources.length).toBeGreaterThan(0)
    } finally {
      await old.stop()
    }
  })
})
