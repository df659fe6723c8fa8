/** Agent endpoints and the files API: reference §3, §4 and checklist §8 items 6–7. */
import { lstat, readlink, stat, symlink, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ScenarioSpec, type Simulator, startSimulator } from '../../src/sim/index.js'
import { type J, get, numberToken } from './http.js'

const spec: ScenarioSpec = {
  agents: 2,
  frameworks: [
    {
      name: 'web',
      tasks: [
        { id: 'web-1', agent: 0, command: 'python3 -m http.server' },
        { id: 'web-2', agent: 1 },
        { id: 'web-old', agent: 0, state: 'TASK_FINISHED' },
      ],
    },
    {
      name: 'pods',
      roles: ['pods'],
      tasks: [
        { id: 'pod.a', agent: 1, group: 'pod-executor-1' },
        { id: 'pod.b', agent: 1, group: 'pod-executor-1' },
      ],
    },
  ],
}

let sim: Simulator
let agentUrl: string
let fwId: string
let sandboxVirtual: string
const q = encodeURIComponent

beforeAll(async () => {
  sim = await startSimulator({ scenario: spec, seed: 11, logIntervalMs: 0 })
  const t = sim.task('web-1')
  agentUrl = sim.agents.find((a) => a.id === t.agentId)!.url
  fwId = t.frameworkId
  sandboxVirtual = `/frameworks/${fwId}/executors/web-1/runs/latest`
})
afterAll(() => sim.stop())

const read = (path: string, extra = '') => get(`${agentUrl}/files/read?path=${q(path)}${extra}`)

describe('agent /state', () => {
  it('is served at /slave(1)/state and /state; no .json alias on 1.11', async () => {
    const a = await get(`${agentUrl}/slave(1)/state`)
    const b = await get(`${agentUrl}/state`)
    expect(a.status).toBe(200)
    expect(b.json().id).toBe(a.json().id)
    expect(a.json().pid).toBe(`slave(1)@127.0.0.1:${new URL(agentUrl).port}`)
    expect((await get(`${agentUrl}/state.json`)).status).toBe(404)
  })

  it('gives each executor its sandbox directory, on disk with a runs/latest symlink', async () => {
    const s = (await get(`${agentUrl}/state`)).json()
    const fw = s.frameworks.find((f: J) => f.id === fwId)
    const ex = fw.executors.find((e: J) => e.id === 'web-1')
    expect(ex.directory).toBe(join(sim.workdir, 'slaves', s.id, 'frameworks', fwId, 'executors', 'web-1', 'runs', ex.container))
    expect((await stat(ex.directory)).isDirectory()).toBe(true)
    expect(await readlink(join(ex.directory, '..', 'latest'))).toBe(ex.directory)
    expect(ex.tasks[0].executor_id).toBe('')
    expect(ex.source).toBe('web-1')
    expect(ex.name).toBe("Command Executor (Task: web-1) (Command: sh -c 'python3 -m h...')")
    const done = fw.completed_executors.find((e: J) => e.id === 'web-old')
    expect(done.completed_tasks[0].state).toBe('TASK_FINISHED')
  })

  it('marks task-group executors DEFAULT with task sandboxes under tasks/<id>', async () => {
    const pod = sim.task('pod.a')
    const url = sim.agents.find((a) => a.id === pod.agentId)!.url
    const s = (await get(`${url}/state`)).json()
    const ex = s.frameworks.flatMap((f: J) => f.executors).find((e: J) => e.id === 'pod-executor-1')
    expect(ex.type).toBe('DEFAULT')
    expect(ex.tasks.map((t: J) => t.id).sort()).toEqual(['pod.a', 'pod.b'])
    expect(ex.tasks[0].executor_id).toBe('pod-executor-1')
    const taskDir = join(ex.directory, 'tasks', 'pod.a')
    expect((await lstat(taskDir)).isSymbolicLink()).toBe(true)
    expect(await readlink(taskDir)).toMatch(/\/containers\/[0-9a-f-]{36}$/)
    const st = ex.tasks.find((t: J) => t.id === 'pod.a').statuses.at(-1)
    expect(st.container_status.container_id.parent.value).toBe(ex.container)
    const out = await get(`${url}/files/read?path=${q(`/frameworks/${pod.frameworkId}/executors/pod-executor-1/runs/latest/tasks/pod.a/stdout`)}&offset=0`)
    expect(out.status).toBe(200)
  })

  it('/slave(1)/monitor/statistics and /monitor/statistics list one entry per executor', async () => {
    const a = (await get(`${agentUrl}/slave(1)/monitor/statistics`)).json()
    const r = await get(`${agentUrl}/monitor/statistics`)
    expect(r.json().length).toBe(a.length)
    const e = a.find((x: J) => x.executor_id === 'web-1')
    expect(Object.keys(e).sort()).toEqual(['executor_id', 'executor_name', 'framework_id', 'source', 'statistics'])
    expect(e.statistics.mem_limit_bytes).toBeGreaterThan(0)
    expect(numberToken(r.text, 'timestamp')).toMatch(/\./)
    expect(numberToken(r.text, 'cpus_limit')).toMatch(/\./)
    // cumulative counters, read again: never lower, and timestamps move forward
    const b = (await get(`${agentUrl}/slave(1)/monitor/statistics`)).json()
    for (const later of b) {
      const before = a.find((x: J) => x.executor_id === later.executor_id).statistics
      const s = later.statistics
      expect(s.timestamp).toBeGreaterThanOrEqual(before.timestamp)
      for (const k of ['cpus_user_time_secs', 'cpus_system_time_secs', 'cpus_nr_periods', 'cpus_nr_throttled', 'cpus_throttled_time_secs'])
        expect(s[k]).toBeGreaterThanOrEqual(before[k])
    }
  })
})

describe('/files/read', () => {
  it('without offset, or offset=-1, returns the size and no data', async () => {
    const path = `${sandboxVirtual}/stdout`
    const size = (await stat(sim.sandboxPath('web-1', 'stdout'))).size
    expect(size).toBeGreaterThan(0)
    expect((await read(path)).json()).toEqual({ offset: size, data: '' })
    expect((await read(path, '&offset=-1')).json()).toEqual({ offset: size, data: '' })
  })

  it('past EOF echoes the requested offset', async () => {
    expect((await read(`${sandboxVirtual}/stdout`, '&offset=99999999')).json()).toEqual({ offset: 99999999, data: '' })
  })

  it('honours length and caps a read at 64 KiB', async () => {
    sim.truncateFile('web-1', 'big')
    sim.appendFile('web-1', 'big', 'x'.repeat(100_000))
    const r = (await read(`${sandboxVirtual}/big`, '&offset=0')).json()
    expect(r.offset).toBe(0)
    expect(r.data.length).toBe(65536)
    expect((await read(`${sandboxVirtual}/big`, '&offset=99990&length=100')).json().data.length).toBe(10)
    expect((await read(`${sandboxVirtual}/big`, '&offset=5&length=3')).json()).toEqual({ offset: 5, data: 'xxx' })
  })

  it('puts raw bytes >= 0x80 in the JSON string and escapes control characters', async () => {
    sim.truncateFile('web-1', 'bin')
    sim.appendFile('web-1', 'bin', Buffer.from([0x41, 0xff, 0xfe, 0x01, 0x09, 0x0a, 0x22, 0x5c, 0x2f]))
    const r = await read(`${sandboxVirtual}/bin`, '&offset=0')
    const i = r.body.indexOf(Buffer.from('"data":"'))
    const value = r.body.subarray(i + 8, r.body.length - 2)
    expect([...value]).toEqual([...Buffer.from('A\xff\xfe\\u0001\\t\\n\\"\\\\/', 'latin1')])
    // decoding as latin1 recovers the bytes
    const parsed = JSON.parse(r.body.toString('latin1'))
    expect(Buffer.from(parsed.data, 'latin1')).toEqual(Buffer.from([0x41, 0xff, 0xfe, 0x01, 0x09, 0x0a, 0x22, 0x5c, 0x2f]))
  })

  it('answers the 400s with Mesos messages, 404 with an empty body', async () => {
    const path = `${sandboxVirtual}/stdout`
    let r = await read(path, '&offset=-2')
    expect([r.status, r.text]).toEqual([400, 'Negative offset provided: -2.\n'])
    r = await read(path, '&offset=0&length=-5')
    expect([r.status, r.text]).toEqual([400, 'Negative length provided: -5.\n'])
    r = await read(path, '&offset=abc')
    expect(r.status).toBe(400)
    expect(r.text.startsWith('Failed to parse offset: ')).toBe(true)
    r = await read(path, '&offset=0&length=x')
    expect(r.text.startsWith('Failed to parse length: ')).toBe(true)
    r = await read(sandboxVirtual, '&offset=0')
    expect([r.status, r.text]).toEqual([400, 'Cannot read a directory.\n'])
    r = await get(`${agentUrl}/files/read`)
    expect([r.status, r.text]).toEqual([400, "Expecting 'path=value' in query.\n"])
    r = await read(`${sandboxVirtual}/nope`, '&offset=0')
    expect([r.status, r.body.length]).toEqual([404, 0])
    r = await read('/frameworks/nope/executors/x/runs/latest/stdout', '&offset=0')
    expect([r.status, r.body.length]).toEqual([404, 0])
  })

  it('serves the same file under the real run path, runs/latest and the virtual path', async () => {
    const t = sim.task('web-1')
    const dir = t.executor.directory
    const a = (await read(`${dir}/stdout`)).json()
    const b = (await read(`${join(dir, '..', 'latest')}/stdout`)).json()
    const c = (await read(`${sandboxVirtual}/stdout`)).json()
    expect(a.offset).toBeGreaterThan(0)
    expect(b).toEqual(a)
    expect(c).toEqual(a)
  })

  it('refuses a symlink that escapes the sandbox with 400 inaccessible', async () => {
    await symlink('/etc', join(sim.task('web-1').executor.directory, 'escape'))
    const path = `${sandboxVirtual}/escape/hostname`
    const r = await read(path, '&offset=0')
    expect([r.status, r.text]).toEqual([400, `'${path}' is inaccessible.\n`])
  })

  it('serves the agent log at /slave/log', async () => {
    const r = (await read('/slave/log')).json()
    expect(r.offset).toBeGreaterThan(0)
  })
})

describe('/files/browse, download, debug', () => {
  it('browse echoes virtual paths with string modes, whole-second double mtimes, user names', async () => {
    const r = await get(`${agentUrl}/files/browse?path=${q(sandboxVirtual)}`)
    expect(r.status).toBe(200)
    const list = r.json()
    expect(list.map((e: J) => e.path)).toContain(`${sandboxVirtual}/stdout`)
    const names = list.map((e: J) => e.path.split('/').pop())
    expect(names).toEqual([...names].sort())
    const e = list.find((x: J) => x.path.endsWith('/stdout'))
    expect(e.mode).toMatch(/^-[rwx-]{9}$/)
    expect(typeof e.uid).toBe('string')
    expect(e.uid).not.toMatch(/^\d+$/)
    expect(Number.isInteger(e.mtime)).toBe(true)
    expect(r.text).toMatch(/"mtime":\d+\.0/)
    expect(e.nlink).toBe(1)
  })

  it('browse: 404 empty for unknown, [] for a file, 400 without path', async () => {
    let r = await get(`${agentUrl}/files/browse?path=${q('/no/such')}`)
    expect([r.status, r.body.length]).toEqual([404, 0])
    r = await get(`${agentUrl}/files/browse?path=${q(`${sandboxVirtual}/stdout`)}`)
    expect([r.status, r.text]).toEqual([200, '[]'])
    r = await get(`${agentUrl}/files/browse?path=`)
    expect([r.status, r.text]).toEqual([400, "Expecting 'path=value' in query.\n"])
  })

  it('download streams the bytes with length, type and disposition', async () => {
    const size = (await stat(sim.sandboxPath('web-1', 'stdout'))).size
    const r = await get(`${agentUrl}/files/download?path=${q(`${sandboxVirtual}/stdout`)}`)
    expect(r.status).toBe(200)
    expect(r.headers['content-length']).toBe(String(size))
    expect(r.headers['content-type']).toBe('application/octet-stream')
    expect(r.headers['content-disposition']).toBe('attachment; filename=stdout')
    expect(r.body.length).toBe(size)
    sim.appendFile('web-1', 'notes.txt', 'hi\n')
    const t = await get(`${agentUrl}/files/download?path=${q(`${sandboxVirtual}/notes.txt`)}`)
    expect(t.headers['content-type']).toBe('text/plain')
    expect(t.text).toBe('hi\n')
  })

  it('download sends a file of several read buffers byte-exact', async () => {
    // 2.5 MiB and an odd tail: more than the two buffers the simulator reads into, every byte value
    const bytes = Buffer.alloc(5 * 524288 + 7)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 11)) & 0xff
    await writeFile(sim.sandboxPath('web-1', 'big.bin'), bytes)
    const r = await get(`${agentUrl}/files/download?path=${q(`${sandboxVirtual}/big.bin`)}`)
    expect([r.status, r.headers['content-length']]).toEqual([200, String(bytes.length)])
    expect(r.body.equals(bytes)).toBe(true)
  })

  it('download names the file in Content-Disposition byte for byte: UTF-8, and a control character raw', async () => {
    await writeFile(sim.sandboxPath('web-1', 'ü-日本.log'), 'x\n')
    const r = await get(`${agentUrl}/files/download?path=${q(`${sandboxVirtual}/ü-日本.log`)}`)
    expect(r.status).toBe(200)
    expect(Buffer.from(r.headers['content-disposition']!, 'latin1').toString('utf8')).toBe('attachment; filename=ü-日本.log')
    expect(r.text).toBe('x\n')
    // libprocess writes the value as it is: a newline in the name ends the header line early
    await writeFile(sim.sandboxPath('web-1', 'a\nb'), 'y\n')
    const port = Number(new URL(agentUrl).port)
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(`GET /files/download?path=${q(`${sandboxVirtual}/a\nb`)} HTTP/1.1\r\nHost: x\r\n\r\n`))
      const chunks: Buffer[] = []
      socket.on('data', (c: Buffer) => chunks.push(c))
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      socket.on('error', reject)
    })
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(head).toContain('\r\nContent-Disposition: attachment; filename=a\nb\r\n')
    expect(head.endsWith('\r\n\r\ny\n')).toBe(true)
  })

  it('download errors', async () => {
    let r = await get(`${agentUrl}/files/download?path=${q(sandboxVirtual)}`)
    expect([r.status, r.text]).toEqual([400, 'Cannot download a directory.\n'])
    r = await get(`${agentUrl}/files/download?path=${q(`${sandboxVirtual}/nope`)}`)
    expect([r.status, r.text]).toEqual([404, '404 Not Found.'])
  })

  it('debug maps virtual paths to real ones, three per executor run', async () => {
    const m = (await get(`${agentUrl}/files/debug`)).json()
    const dir = sim.task('web-1').executor.directory
    expect(m[sandboxVirtual]).toBe(dir)
    expect(m[dir]).toBe(dir)
    expect(m[join(dir, '..', 'latest')]).toBe(dir)
    expect(m['/slave/log']).toMatch(/mesos-slave\.INFO$/)
  })

  it('the master serves its log at /master/log', async () => {
    const r = (await get(`${sim.leader!.url}/files/read?path=/master/log&offset=0`)).json()
    expect(r.data).toMatch(/Elected as the leading master/)
  })
})

describe('running tasks write over time', () => {
  it('appends timestamped lines to stdout', async () => {
    const s = await startSimulator({ scenario: 'hello', seed: 2, logIntervalMs: 30 })
    try {
      const p = s.sandboxPath('hello-1', 'stdout')
      const before = (await stat(p)).size
      const end = Date.now() + 10_000
      while ((await stat(p)).size === before && Date.now() < end) await new Promise((r) => setTimeout(r, 10))
      expect((await stat(p)).size).toBeGreaterThan(before)
    } finally {
      await s.stop()
    }
  })
})
