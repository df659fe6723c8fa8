/**
 * Conformance of the agent's exec API (reference §5.4) against Mesos 1.11, over raw HTTP built by
 * hand (exec-wire.ts): `Http::launchNestedContainerSession`, `Http::attachContainerInput`,
 * `Http::_waitContainer` (src/slave/http.cpp), the I/O switchboard (io/switchboard.cpp) and the
 * containerizer's DEBUG containers (containerizer.cpp `_launch`, paths.cpp `getSandboxPath`).
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { attachInput, launchCall, streamCall, until } from './exec-wire.js'
import { get, type J, post } from './http.js'

let sim: Simulator
let agentApi: string
let parent: J

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'hello', seed: 4, logIntervalMs: 0, agentHeartbeatSeconds: 0.2 })
  const m = sim.leader!.url
  const task = (await get(`${m}/master/tasks?task_id=hello-1`)).json().tasks[0]
  expect(task.state).toBe('TASK_RUNNING')
  parent = task.statuses[0].container_status.container_id
  const slave = (await get(`${m}/master/slaves`)).json().slaves.find((s: J) => s.id === task.slave_id)
  agentApi = `http://${slave.pid.split('@')[1]}/slave(1)/api/v1`
})
afterAll(() => sim.stop())

const nested = () => ({ parent, value: crypto.randomUUID() })
const launch = (id: J, command: J, tty = false) => streamCall(agentApi, launchCall(id, command, tty))
const sh = (value: string) => ({ value, shell: true })
const wait = (id: J) => post(agentApi, { type: 'WAIT_CONTAINER', wait_container: { container_id: id } })

/** Process IDs whose process group is `pgid` (field 5 of /proc/PID/stat). */
function groupMembers(pgid: number): number[] {
  const out: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(fields[2]) === pgid) out.push(Number(name))
    } catch {
      // exited while we looked
    }
  }
  return out
}

describe('LAUNCH_NESTED_CONTAINER_SESSION (Http::launchNestedContainerSession)', () => {
  it('streams ProcessIO records as application/recordio with heartbeats; stdout and stderr apart', async () => {
    const id = nested()
    const s = await launch(id, sh('echo out; echo err >&2; sleep 0.5; exit 3'))
    expect(s.status).toBe(200)
    expect(s.headers['content-type']).toBe('application/recordio')
    expect(s.headers['message-content-type']).toBe('application/json')
    await s.ended
    expect(s.stdout().toString()).toBe('out\n')
    expect(s.stderr().toString()).toBe('err\n')
    // switchboard.cpp heartbeatLoop: CONTROL HEARTBEAT records every --http_heartbeat_interval
    const beat = s.records.find((r) => r.type === 'CONTROL')
    expect(beat).toEqual({ type: 'CONTROL', control: { type: 'HEARTBEAT', heartbeat: { interval: { nanoseconds: 200_000_000 } } } })
    expect((await wait(id)).json()).toEqual({ type: 'WAIT_CONTAINER', wait_container: { exit_status: 3 << 8 } })
  })

  it('DEBUG container: runs in the parent working directory, inherits MESOS_SANDBOX, has a nested sandbox containers/<id>', async () => {
    const id = nested()
    const s = await launch(id, sh('pwd; echo "$MESOS_SANDBOX"'))
    await s.ended
    const sandbox = sim.sandboxPath('hello-1')
    expect(s.stdout().toString()).toBe(`${sandbox}\n${sandbox}\n`)
    expect(statSync(join(sandbox, 'containers', id.value)).isDirectory()).toBe(true)
  })

  it('runs argv without a shell when shell is false; a missing program fails as mesos-containerizer launch does', async () => {
    const s = await launch(nested(), { value: '/bin/echo', arguments: ['echo', 'a b', '$HOME'], shell: false })
    await s.ended
    expect(s.stdout().toString()).toBe('a b $HOME\n')
    const id = nested()
    const bad = await launch(id, { value: '/no/such/program', arguments: ['x'], shell: false })
    await bad.ended
    expect(bad.stderr().toString()).toBe("Failed to execute '/no/such/program': No such file or directory\n")
    expect((await wait(id)).json().wait_container.exit_status).toBe(1 << 8)
  })

  it('exit_status is a wait(2) status: a signal is its number (WIFSIGNALED), an exit code is shifted', async () => {
    const term = nested()
    await (await launch(term, sh('kill -TERM $$'))).ended
    expect((await wait(term)).json().wait_container.exit_status).toBe(15)
    const code = nested()
    await (await launch(code, sh('exit 42'))).ended
    expect((await wait(code)).json().wait_container.exit_status).toBe(42 << 8)
  })

  it('relays 5 MiB of binary output byte-exactly', async () => {
    const s = await launch(nested(), sh('head -c 5242880 /dev/urandom > blob && cat blob'))
    await s.ended
    const expected = readFileSync(join(sim.sandboxPath('hello-1'), 'blob'))
    expect(expected.length).toBe(5 * 1024 * 1024)
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
    expect(s.stdout().length).toBe(expected.length)
    expect(sha(s.stdout())).toBe(sha(expected))
  })

  it('a container ID already in use is 202; an unknown parent is 400 (not 404)', async () => {
    const id = nested()
    const s = await launch(id, sh('sleep 5'))
    const again = await launch(id, sh('true'))
    expect(again.status).toBe(202)
    s.req.destroy()
    const orphan = await launch({ parent: { value: 'no-such-container' }, value: 'x' }, sh('true'))
    expect([orphan.status, orphan.body()]).toEqual([400, 'Parent container no-such-container does not exist'])
  })

  it('closing the connection destroys the whole container: no process of its group is left in /proc', async () => {
    const id = nested()
    const s = await launch(id, sh('echo $$; sleep 300 & sleep 300'))
    expect(await until(() => s.stdout().length > 0)).toBe(true)
    const pgid = Number(s.stdout().toString().trim())
    expect(await until(() => groupMembers(pgid).length >= 2)).toBe(true)
    s.req.destroy()
    expect(await until(() => groupMembers(pgid).length === 0)).toBe(true)
    expect((await wait(id)).json().wait_container.exit_status).toBe(9)
  })

  it('the container ends with its init process: what it left in the background is destroyed with it', async () => {
    const s = await launch(nested(), sh('echo $$; sleep 300 >/dev/null 2>&1 & exit 0'))
    await s.ended
    const pgid = Number(s.stdout().toString().trim())
    expect(await until(() => groupMembers(pgid).length === 0)).toBe(true)
  })
})

describe('ATTACH_CONTAINER_INPUT (Http::attachContainerInput, switchboard input loop)', () => {
  it('stdin bytes reach the process; an empty DATA record is EOF without a TTY', async () => {
    const id = nested()
    const s = await launch(id, { value: 'cat', arguments: ['cat'], shell: false })
    const input = attachInput(agentApi, id)
    const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0x80])
    input.stdin(bytes)
    input.stdin('')
    input.end()
    expect((await input.response).status).toBe(200)
    await s.ended
    expect(s.stdout().equals(bytes)).toBe(true)
    expect((await wait(id)).json().wait_container.exit_status).toBe(0)
  })

  it('allows one input connection at a time (409)', async () => {
    const id = nested()
    const s = await launch(id, { value: 'cat', arguments: ['cat'], shell: false })
    const first = attachInput(agentApi, id)
    first.stdin('x\n')
    expect(await until(() => s.stdout().toString() === 'x\n')).toBe(true)
    const second = attachInput(agentApi, id)
    second.end()
    expect(await second.response).toEqual({ status: 409, body: 'Multiple input connections are not allowed' })
    first.stdin('')
    first.end()
    await first.response
    await s.ended
  })

  it('needs the full ContainerID: without its parent a nested container is unknown (404)', async () => {
    const id = nested()
    const s = await launch(id, sh('sleep 5'))
    const input = attachInput(agentApi, { value: id.value })
    input.end()
    expect(await input.response).toEqual({ status: 404, body: `Container ${id.value} cannot be found` })
    expect((await wait({ value: id.value })).status).toBe(404)
    s.req.destroy()
  })

  it('TTY_INFO on a container without a TTY: 400 from os::setWindowSize', async () => {
    const id = nested()
    const s = await launch(id, sh('sleep 5'))
    const input = attachInput(agentApi, id)
    input.resize(24, 80)
    expect(await input.response).toEqual({ status: 400, body: 'Unable to set the window size: Inappropriate ioctl for device' })
    s.req.destroy()
  })
})

describe('TTY (IOSwitchboard::_prepare: a pty as stdin/stdout/stderr)', () => {
  it('has a controlling terminal; stderr comes out as STDOUT; the launch window size is not applied', async () => {
    const id = nested()
    const s = await launch(id, sh('tty; stty size; echo err >&2'), true)
    await s.ended
    expect(s.stdout().toString()).toMatch(/^\/dev\/pts\/\d+\r\n0 0\r\nerr\r\n$/)
    expect(s.stderr().length).toBe(0)
    expect((await wait(id)).json().wait_container.exit_status).toBe(0)
  })

  it('TTY_INFO sizes the pty at start and on resize (the process sees SIGWINCH and stty size)', async () => {
    const id = nested()
    // The second resize is awaited in a loop of short commands, not in `read`: a shell checks for a
    // trap before it blocks in read(2), so a signal landing just between is only seen after input.
    const s = await launch(
      id,
      sh("trap 'stty size; seen=1' WINCH; IFS= read -r x; stty size; seen=; echo ready; while [ -z \"$seen\" ]; do sleep 0.05; done; IFS= read -r y; echo done"),
      true,
    )
    const input = attachInput(agentApi, id)
    input.resize(33, 101)
    input.stdin('go\n')
    expect(await until(() => s.stdout().toString().includes('ready'))).toBe(true)
    expect(s.stdout().toString()).toContain('33 101')
    input.resize(50, 132)
    expect(await until(() => s.stdout().toString().includes('50 132'))).toBe(true)
    // with a TTY an empty DATA record is not EOF; EOT is
    input.stdin('')
    input.stdin('\n')
    await s.ended
    expect(s.stdout().toString()).toContain('done')
    input.end()
    expect((await input.response).status).toBe(200)
  })

  it('the terminal echoes input and EOT ends a read', async () => {
    const id = nested()
    const s = await launch(id, { value: 'cat', arguments: ['cat'], shell: false }, true)
    const input = attachInput(agentApi, id)
    input.stdin('hi\n')
    expect(await until(() => s.stdout().toString() === 'hi\r\nhi\r\n')).toBe(true)
    input.stdin('\x04')
    await s.ended
    input.end()
    expect((await wait(id)).json().wait_container.exit_status).toBe(0)
  })

  it('closing the session kills the pty process group too', async () => {
    const id = nested()
    const s = await launch(id, sh('echo $$; sleep 300 & sleep 300'), true)
    expect(await until(() => /\d+\r\n/.test(s.stdout().toString()))).toBe(true)
    const pgid = Number(s.stdout().toString().trim())
    expect(await until(() => groupMembers(pgid).length >= 2)).toBe(true)
    s.req.destroy()
    expect(await until(() => groupMembers(pgid).length === 0)).toBe(true)
  })
})

describe("a task's own container", () => {
  it('without a TTY has no I/O switchboard: attach is 500, as Mesos 1.11 answers', async () => {
    const out = await streamCall(agentApi, { type: 'ATTACH_CONTAINER_OUTPUT', attach_container_output: { container_id: parent } })
    await out.ended
    expect([out.status, out.body()]).toEqual([500, 'I/O switchboard server was disabled for this container'])
    const input = attachInput(agentApi, parent)
    input.end()
    expect(await input.response).toEqual({ status: 500, body: 'I/O switchboard server was disabled for this container' })
  })

  it('WAIT_CONTAINER waits for it; once its executor is gone the container is unknown (404)', async () => {
    const task = sim.launchTask({ framework: 'hello', agent: '0', id: 'waited' })
    const id = { value: task.containerId }
    const api = `${sim.agents.find((a) => a.id === task.agentId)!.url}/slave(1)/api/v1`
    let answered = false
    const pending = post(api, { type: 'WAIT_CONTAINER', wait_container: { container_id: id } }).then((r) => {
      answered = true
      return r
    })
    const containerizer = sim.world.containerizers.get(task.agentId)!
    expect(await until(() => containerizer.waiting > 0)).toBe(true)
    expect(answered).toBe(false)
    sim.killTask('waited')
    expect((await pending).json()).toEqual({ type: 'WAIT_CONTAINER', wait_container: { exit_status: 0 } })
    expect((await post(api, { type: 'WAIT_NESTED_CONTAINER', wait_nested_container: { container_id: id } })).status).toBe(404)
  })

  it('a finished task cannot be a parent: 400 Parent container ... does not exist', async () => {
    const m = sim.leader!.url
    const t = (await get(`${m}/master/tasks?task_id=hello-once`)).json().tasks[0]
    const cid = t.statuses[0].container_status.container_id
    const api = `${sim.agents.find((a) => a.id === t.slave_id)!.url}/slave(1)/api/v1`
    const s = await streamCall(api, launchCall({ parent: cid, value: 'x' }, sh('true')))
    expect([s.status, s.body()]).toEqual([400, `Parent container ${cid.value} does not exist`])
  })
})

describe('agent /api/v1 header rules (Http::api)', () => {
  it('ATTACH_CONTAINER_INPUT must be application/recordio; the first record must name the container', async () => {
    expect((await post(agentApi, { type: 'ATTACH_CONTAINER_INPUT' })).status).toBe(415)
    const bad = (await import('node:http')).request(agentApi, {
      method: 'POST',
      headers: { 'Content-Type': 'application/recordio', 'Message-Content-Type': 'application/json' },
    })
    const res = await new Promise<{ status: number; body: string }>((resolve) => {
      bad.on('response', (x) => {
        let body = ''
        x.on('data', (d) => {
          body += d
        })
        x.on('end', () => resolve({ status: x.statusCode ?? 0, body }))
      })
      bad.on('error', () => {})
      const p = Buffer.from(JSON.stringify({ type: 'ATTACH_CONTAINER_INPUT', attach_container_input: { type: 'PROCESS_IO' } }))
      bad.end(Buffer.concat([Buffer.from(`${p.length}\n`), p]))
    })
    expect(res).toEqual({ status: 400, body: "Expecting 'attach_container_input.type' to be CONTAINER_ID" })
  })

  it('Message-Content-Type on a plain request is 415; Message-Accept or a recordio Accept on a non-streaming call is 406', async () => {
    const body = { type: 'WAIT_CONTAINER', wait_container: { container_id: { value: 'x' } } }
    expect((await post(agentApi, body, { 'Content-Type': 'application/json', 'Message-Content-Type': 'application/json' })).status).toBe(415)
    expect((await post(agentApi, body, { 'Content-Type': 'application/json', 'Message-Accept': 'application/json' })).status).toBe(406)
    expect((await post(agentApi, body, { 'Content-Type': 'application/json', Accept: 'application/recordio' })).status).toBe(406)
  })

  it('unknown containers are 404', async () => {
    const r = await wait({ value: 'nope' })
    expect([r.status, r.text]).toEqual([404, 'Container nope cannot be found'])
  })
})

describe('authentication and authorization', () => {
  let secured: Simulator
  let api: string
  let cid: J
  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`

  beforeAll(async () => {
    secured = await startSimulator({
      scenario: 'hello',
      logIntervalMs: 0,
      auth: { principal: 'ops', secret: 's3cret', principals: { viewer: 'v' }, acls: { launch_nested_container_sessions: ['ops'] } },
    })
    const t = secured.task('hello-1')
    cid = { value: t.containerId }
    api = `${secured.agents.find((a) => a.id === t.agentId)!.url}/slave(1)/api/v1`
  })
  afterAll(() => secured.stop())

  it('no or wrong credentials: 401 with the agent read-write realm (the basic authenticator)', async () => {
    for (const headers of [{}, { Authorization: basic('ops', 'wrong') }] as Array<Record<string, string>>) {
      const s = await streamCall(api, launchCall({ parent: cid, value: crypto.randomUUID() }, sh('true')), headers)
      await s.ended
      expect([s.status, s.headers['www-authenticate'], s.body()]).toEqual([401, 'Basic realm="mesos-agent-readwrite"', '401 Unauthorized.'])
    }
  })

  it('an authenticated principal the ACLs do not allow: 403; an allowed one runs the command', async () => {
    const denied = await streamCall(api, launchCall({ parent: cid, value: crypto.randomUUID() }, sh('echo hi')), {
      Authorization: basic('viewer', 'v'),
    })
    await denied.ended
    expect([denied.status, denied.body()]).toEqual([403, ''])
    const ok = await streamCall(api, launchCall({ parent: cid, value: crypto.randomUUID() }, sh('echo hi')), {
      Authorization: basic('ops', 's3cret'),
    })
    await ok.ended
    expect([ok.status, ok.stdout().toString()]).toEqual([200, 'hi\n'])
  })
})

describe('attach to a task launched with a TTY (flink scenario: flink-sql-client)', () => {
  let flink: Simulator
  let api: string
  let cid: J
  let taskId: string

  beforeAll(async () => {
    flink = await startSimulator({ scenario: 'flink', seed: 3, logIntervalMs: 0, liveEvents: false })
    const m = flink.leader!.url
    const t = (await get(`${m}/master/tasks`)).json().tasks.find((x: J) => x.name === 'flink-sql-client')
    expect(t.container.tty_info).toEqual({})
    taskId = t.id
    cid = t.statuses[0].container_status.container_id
    api = `${flink.agents.find((a) => a.id === t.slave_id)!.url}/slave(1)/api/v1`
  })
  afterAll(() => flink.stop())

  it('ATTACH_CONTAINER_OUTPUT and ATTACH_CONTAINER_INPUT reach the running console; its output also lands in stdout', async () => {
    expect(await until(() => readFileSync(flink.sandboxPath(taskId, 'stdout'), 'utf8').includes('Flink SQL> '))).toBe(true)
    const out = await streamCall(api, { type: 'ATTACH_CONTAINER_OUTPUT', attach_container_output: { container_id: cid } })
    expect(out.status).toBe(200)
    expect(out.headers['content-type']).toBe('application/recordio')
    const input = attachInput(api, cid)
    input.resize(40, 120)
    input.stdin('SELECT 1;\n')
    expect(await until(() => out.stdout().toString().includes('[INFO] Executed: SELECT 1;'))).toBe(true)
    // the terminal echoed what was typed
    expect(out.stdout().toString()).toContain('SELECT 1;\r\n')
    input.end()
    expect((await input.response).status).toBe(200)
    out.req.destroy()
    expect(readFileSync(flink.sandboxPath(taskId, 'stdout'), 'utf8')).toContain('[INFO] Executed: SELECT 1;')
    // detaching does not end the task
    expect(flink.task(taskId).state).toBe('TASK_RUNNING')
  })

  it('killing the task destroys its process group; WAIT_CONTAINER answers', async () => {
    const pending = post(api, { type: 'WAIT_CONTAINER', wait_container: { container_id: cid } })
    const containerizer = flink.world.containerizers.get(flink.task(taskId).agentId)!
    expect(await until(() => containerizer.waiting > 0)).toBe(true)
    const live = containerizer.live.get(cid.value)!
    const pgid = (await live.proc.pgid)!
    expect(groupMembers(pgid).length).toBeGreaterThan(0)
    flink.killTask(taskId)
    expect((await pending).json().wait_container.exit_status).toBe(9)
    expect(await until(() => groupMembers(pgid).length === 0)).toBe(true)
    expect(existsSync(flink.sandboxPath(taskId, 'stdout'))).toBe(true)
  })
})
