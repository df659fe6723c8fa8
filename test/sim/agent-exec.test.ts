/** Running a command in a task's container through the agent's /api/v1 (reference §5.4, §8 item 9). */
import { type ClientRequest, request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { get, type J, post } from './http.js'

let sim: Simulator
let agentApi: string
let parent: J

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'hello', seed: 4, logIntervalMs: 0 })
  const m = sim.leader!.url
  const task = (await get(`${m}/master/tasks?task_id=hello-1`)).json().tasks[0]
  expect(task.state).toBe('TASK_RUNNING')
  parent = task.statuses[0].container_status.container_id
  const slave = (await get(`${m}/master/slaves`)).json().slaves.find((s: J) => s.id === task.slave_id)
  agentApi = `http://${slave.pid.split('@')[1]}/slave(1)/api/v1`
})
afterAll(() => sim.stop())

const uuid = () => crypto.randomUUID()

interface Session {
  req: ClientRequest
  status: () => number
  headers: () => J
  stdout: () => string
  stderr: () => string
  records: J[]
  ended: Promise<void>
}

function launch(containerId: string, command: J): Promise<Session> {
  return new Promise((resolve, reject) => {
    const records: J[] = []
    let out = ''
    let err = ''
    let buf = Buffer.alloc(0)
    let endedResolve: () => void = () => {}
    const ended = new Promise<void>((r) => {
      endedResolve = r
    })
    const req = request(agentApi, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/recordio', 'Message-Accept': 'application/json' },
    })
    req.on('response', (res) => {
      const s: Session = {
        req,
        status: () => res.statusCode ?? 0,
        headers: () => res.headers,
        stdout: () => out,
        stderr: () => err,
        records,
        ended,
      }
      res.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk])
        for (;;) {
          const nl = buf.indexOf(0x0a)
          if (nl < 0) break
          const len = Number(buf.subarray(0, nl).toString())
          if (buf.length < nl + 1 + len) break
          const rec = JSON.parse(buf.subarray(nl + 1, nl + 1 + len).toString())
          buf = buf.subarray(nl + 1 + len)
          records.push(rec)
          if (rec.type === 'DATA') {
            const text = Buffer.from(rec.data.data, 'base64').toString()
            if (rec.data.type === 'STDOUT') out += text
            else err += text
          }
        }
      })
      res.on('end', endedResolve)
      res.on('close', endedResolve)
      resolve(s)
    })
    req.on('error', reject)
    req.end(
      JSON.stringify({
        type: 'LAUNCH_NESTED_CONTAINER_SESSION',
        launch_nested_container_session: { container_id: { parent, value: containerId }, command },
      }),
    )
  })
}

const wait = (id: string) => post(agentApi, { type: 'WAIT_CONTAINER', wait_container: { container_id: { value: id } } })

function attachInput(id: string) {
  const req = request(agentApi, {
    method: 'POST',
    headers: { 'Content-Type': 'application/recordio', 'Message-Content-Type': 'application/json', Accept: 'application/json' },
  })
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = ''
      res.on('data', (d) => {
        body += d
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
  })
  const send = (msg: J) => {
    const payload = Buffer.from(JSON.stringify(msg))
    req.write(Buffer.concat([Buffer.from(`${payload.length}\n`), payload]))
  }
  send({ type: 'ATTACH_CONTAINER_INPUT', attach_container_input: { type: 'CONTAINER_ID', container_id: { value: id } } })
  const stdin = (data: string) =>
    send({
      type: 'ATTACH_CONTAINER_INPUT',
      attach_container_input: { type: 'PROCESS_IO', process_io: { type: 'DATA', data: { type: 'STDIN', data: Buffer.from(data).toString('base64') } } },
    })
  return { req, response, stdin, end: () => req.end() }
}

describe('LAUNCH_NESTED_CONTAINER_SESSION', () => {
  it('streams ProcessIO records as application/recordio; the command runs in the task sandbox', async () => {
    const id = uuid()
    const s = await launch(id, { value: 'echo out; echo err >&2; pwd; ls; exit 3', shell: true })
    expect(s.status()).toBe(200)
    expect(s.headers()['content-type']).toBe('application/recordio')
    expect(s.headers()['message-content-type']).toBe('application/json')
    await s.ended
    expect(s.stdout()).toContain('out\n')
    expect(s.stderr()).toBe('err\n')
    expect(s.stdout()).toContain(`${sim.sandboxPath('hello-1')}\n`)
    expect(s.stdout()).toMatch(/^stdout$/m)
    const w = await wait(id)
    expect(w.json()).toEqual({ type: 'WAIT_CONTAINER', wait_container: { exit_status: 3 << 8 } })
  })

  it('runs argv without a shell when shell is false', async () => {
    const id = uuid()
    const s = await launch(id, { value: '/bin/echo', arguments: ['echo', 'a b', '$HOME'], shell: false })
    await s.ended
    expect(s.stdout()).toBe('a b $HOME\n')
  })

  it('takes stdin over ATTACH_CONTAINER_INPUT; an empty DATA record is EOF', async () => {
    const id = uuid()
    const s = await launch(id, { value: 'cat', arguments: ['cat'], shell: false })
    const input = attachInput(id)
    input.stdin('hello\n')
    input.stdin('')
    input.end()
    expect((await input.response).status).toBe(200)
    await s.ended
    expect(s.stdout()).toBe('hello\n')
    expect((await wait(id)).json().wait_container.exit_status).toBe(0)
  })

  it('allows one input connection at a time (409)', async () => {
    const id = uuid()
    const s = await launch(id, { value: 'cat', arguments: ['cat'], shell: false })
    const first = attachInput(id)
    await new Promise((r) => setTimeout(r, 100))
    const second = attachInput(id)
    second.end()
    const r = await second.response
    expect(r.status).toBe(409)
    expect(r.body).toBe('Multiple input connections are not allowed')
    first.stdin('')
    first.end()
    await first.response
    await s.ended
  })

  it('destroys the nested container when the session connection closes', async () => {
    const id = uuid()
    const s = await launch(id, { value: 'sleep 30', shell: true })
    s.req.destroy()
    const w = await wait(id)
    expect(w.json().wait_container.exit_status).toBe(9)
  })
})

describe('agent /api/v1 header rules', () => {
  it('ATTACH_CONTAINER_INPUT must be application/recordio; the first record must name the container', async () => {
    const r = await post(agentApi, { type: 'ATTACH_CONTAINER_INPUT' })
    expect(r.status).toBe(415)
    const req = request(agentApi, {
      method: 'POST',
      headers: { 'Content-Type': 'application/recordio', 'Message-Content-Type': 'application/json' },
    })
    const res = await new Promise<{ status: number; body: string }>((resolve) => {
      req.on('response', (x) => {
        let body = ''
        x.on('data', (d) => {
          body += d
        })
        x.on('end', () => resolve({ status: x.statusCode ?? 0, body }))
      })
      const p = Buffer.from(JSON.stringify({ type: 'ATTACH_CONTAINER_INPUT', attach_container_input: { type: 'PROCESS_IO' } }))
      req.end(Buffer.concat([Buffer.from(`${p.length}\n`), p]))
    })
    expect(res).toEqual({ status: 400, body: "Expecting 'attach_container_input.type' to be CONTAINER_ID" })
  })

  it('Message-Content-Type on a plain request is 415; Message-Accept on a non-streaming call is 406', async () => {
    const body = { type: 'WAIT_CONTAINER', wait_container: { container_id: { value: 'x' } } }
    expect((await post(agentApi, body, { 'Content-Type': 'application/json', 'Message-Content-Type': 'application/json' })).status).toBe(415)
    expect((await post(agentApi, body, { 'Content-Type': 'application/json', 'Message-Accept': 'application/json' })).status).toBe(406)
    expect((await post(agentApi, body, { 'Content-Type': 'application/json', Accept: 'application/recordio' })).status).toBe(406)
  })

  it('unknown containers are 404', async () => {
    const r = await wait('nope')
    expect([r.status, r.text]).toEqual([404, 'Container nope cannot be found'])
  })

  it('is in the agent read-write realm', async () => {
    const s = await startSimulator({ scenario: 'hello', auth: { principal: 'a', secret: 'b' }, logIntervalMs: 0 })
    try {
      const r = await post(`${s.agents[0]!.url}/slave(1)/api/v1`, { type: 'WAIT_CONTAINER' })
      expect(r.status).toBe(401)
      expect(r.headers['www-authenticate']).toBe('Basic realm="mesos-agent-readwrite"')
    } finally {
      await s.stop()
    }
  })
})
