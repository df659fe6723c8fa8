/**
 * The agent's `POST /api/v1` for running a command in a task's container (reference §5.4):
 * LAUNCH_NESTED_CONTAINER_SESSION (a real process in the task's sandbox, its output as RecordIO
 * ProcessIO records), ATTACH_CONTAINER_INPUT (a streamed RecordIO request), ATTACH_CONTAINER_OUTPUT
 * and WAIT_CONTAINER / WAIT_NESTED_CONTAINER.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import type { ServerResponse } from 'node:http'
import { toBuffer } from '../json.js'
import type { Agent, Task } from '../model.js'
import { isTerminal } from '../model.js'
import { frame, RecordReader } from '../recordio.js'
import { type Reply, type Req, standard, text } from '../http.js'
import { accepts } from '../master/v1.js'

const JSON_TYPE = 'application/json'
const PROTOBUF = 'application/x-protobuf'
const RECORDIO = 'application/recordio'
const STREAMING = new Set(['ATTACH_CONTAINER_OUTPUT', 'LAUNCH_NESTED_CONTAINER_SESSION'])

type J = Record<string, unknown>

interface Nested {
  id: string
  parent: string
  proc: ChildProcess
  outputs: Set<ServerResponse>
  inputAttached: boolean
  /** wait(2) status once it ended */
  status?: number
  done: Promise<number>
}

export class AgentApi {
  readonly containers = new Map<string, Nested>()

  constructor(
    private readonly agent: Agent,
    private readonly heartbeatMs: number,
  ) {}

  async handle(req: Req): Promise<Reply> {
    if (req.method !== 'POST') return { ...standard(405), headers: { ...standard(405).headers, Allow: 'POST' } }
    const ct = req.headers['content-type']
    if (ct === undefined) return text(400, "Expecting 'Content-Type' to be present")
    const messageCt = req.headers['message-content-type'] as string | undefined
    if (ct === RECORDIO) {
      if (messageCt !== JSON_TYPE && messageCt !== PROTOBUF)
        return text(415, `Expecting 'Message-Content-Type' to be ${JSON_TYPE} or ${PROTOBUF}`)
      if (messageCt === PROTOBUF) return text(415, 'Protobuf messages are not served by the simulator')
      return this.attachInput(req)
    }
    if (ct !== JSON_TYPE && ct !== PROTOBUF)
      return text(415, `Expecting 'Content-Type' of ${JSON_TYPE} or ${PROTOBUF}`)
    if (messageCt !== undefined)
      return text(415, "Expecting 'Message-Content-Type' header only for streaming requests")
    if (ct === PROTOBUF) return text(400, 'Failed to parse body into Call protobuf (the simulator speaks JSON only)')
    const body = await readAll(req)
    let call: J
    try {
      call = JSON.parse(body.toString('utf8'))
    } catch (e) {
      return text(400, `Failed to parse body into JSON: ${(e as Error).message}`)
    }
    const type = typeof call?.type === 'string' ? call.type : undefined
    if (!type) return text(400, "Failed to validate agent::Call: Expecting 'type' to be present")
    const accept = req.headers.accept
    const messageAccept = req.headers['message-accept'] as string | undefined
    const streaming = STREAMING.has(type)
    if (!streaming) {
      if (messageAccept !== undefined) return text(406, "Expecting 'Message-Accept' header only for streaming responses")
      if (!accepts(accept, JSON_TYPE)) return text(406, `Expecting 'Accept' to allow '${JSON_TYPE}'`)
    } else {
      if (accept !== undefined && !accepts(accept, RECORDIO) && !accepts(accept, JSON_TYPE))
        return text(406, `Expecting 'Accept' to allow '${RECORDIO}'`)
      if (messageAccept !== undefined && !accepts(messageAccept, JSON_TYPE))
        return text(406, `Expecting 'Message-Accept' to allow '${JSON_TYPE}'`)
    }
    switch (type) {
      case 'LAUNCH_NESTED_CONTAINER_SESSION':
        return this.launchSession(req, (call.launch_nested_container_session ?? {}) as J)
      case 'ATTACH_CONTAINER_OUTPUT': {
        const id = idOf((call.attach_container_output as J | undefined)?.container_id)
        const c = id ? this.containers.get(id) : undefined
        if (!c) return text(404, `Container ${id} cannot be found`)
        if (c.status !== undefined) return text(500, `Container ${id} has terminated`)
        this.stream(req.res, c)
        return { status: 200, streamed: true }
      }
      case 'ATTACH_CONTAINER_INPUT':
        return text(415, `Expecting 'Content-Type' to be ${RECORDIO} for ATTACH_CONTAINER_INPUT`)
      case 'WAIT_CONTAINER':
      case 'WAIT_NESTED_CONTAINER': {
        const key = type === 'WAIT_CONTAINER' ? 'wait_container' : 'wait_nested_container'
        const id = idOf((call[key] as J | undefined)?.container_id)
        const c = id ? this.containers.get(id) : undefined
        if (!c) return text(404, `Container ${id} cannot be found`)
        const status = await c.done
        return {
          status: 200,
          headers: { 'Content-Type': JSON_TYPE },
          body: toBuffer({ type, [key]: { exit_status: status } }),
        }
      }
      default:
        return text(400, `Failed to validate agent::Call: unsupported call type ${type}`)
    }
  }

  private parentTask(id: string): Task | undefined {
    for (const ex of this.agent.executors)
      for (const t of ex.tasks) if (!isTerminal(t.state) && (t.containerId === id || ex.containerId === id)) return t
    return undefined
  }

  private launchSession(req: Req, body: J): Reply {
    const cid = (body.container_id ?? {}) as J
    const id = idOf(cid)
    const parent = idOf(cid.parent)
    if (!id || !parent) return text(400, "Expecting 'launch_nested_container_session.container_id.parent' to be present")
    if (this.containers.has(id)) return { status: 202, body: '' }
    const task = this.parentTask(parent)
    if (!task) return text(400, `Parent container ${parent} cannot be found`)
    const command = (body.command ?? {}) as J
    const value = typeof command.value === 'string' ? command.value : ''
    const args = Array.isArray(command.arguments) ? command.arguments.map(String) : []
    const cwd = task.executor.type === 'DEFAULT' ? `${task.executor.directory}/containers/${task.containerId}` : task.sandbox
    const env = { ...process.env, MESOS_SANDBOX: cwd, MESOS_CONTAINER_ID: id }
    let proc: ChildProcess
    try {
      proc =
        command.shell === false
          ? spawn(value, args.slice(1), { cwd, env, argv0: args[0] ?? value, stdio: 'pipe' })
          : spawn('/bin/sh', ['-c', value], { cwd, env, stdio: 'pipe' })
    } catch (e) {
      return text(400, `Failed to launch container: ${(e as Error).message}`)
    }
    let resolveDone: (n: number) => void = () => {}
    const c: Nested = {
      id,
      parent,
      proc,
      outputs: new Set(),
      inputAttached: false,
      done: new Promise<number>((r) => {
        resolveDone = r
      }),
    }
    const finish = (status: number) => {
      if (c.status !== undefined) return
      c.status = status
      resolveDone(status)
      for (const res of c.outputs) if (!res.writableEnded) res.end()
      c.outputs.clear()
    }
    proc.on('error', () => finish(127 << 8))
    proc.on('exit', (code, signal) => finish(signal ? (signalNumber(signal) ?? 9) : (code ?? 0) << 8))
    proc.stdin?.on('error', () => {})
    const emit = (kind: 'STDOUT' | 'STDERR') => (chunk: Buffer) => {
      const rec = frame(toBuffer({ type: 'DATA', data: { type: kind, data: chunk.toString('base64') } }))
      for (const res of c.outputs) res.write(rec)
    }
    proc.stdout?.on('data', emit('STDOUT'))
    proc.stderr?.on('data', emit('STDERR'))
    this.containers.set(id, c)
    this.stream(req.res, c)
    // the session's nested container is destroyed when its connection closes
    req.res.on('close', () => {
      if (c.status === undefined) proc.kill('SIGKILL')
    })
    return { status: 200, streamed: true }
  }

  private stream(res: ServerResponse, c: Nested): void {
    res.writeHead(200, { 'Content-Type': RECORDIO, 'Message-Content-Type': JSON_TYPE })
    res.flushHeaders()
    c.outputs.add(res)
    const beat = setInterval(() => {
      res.write(
        frame(
          toBuffer({
            type: 'CONTROL',
            control: { type: 'HEARTBEAT', heartbeat: { interval: { nanoseconds: this.heartbeatMs * 1e6 } } },
          }),
        ),
      )
    }, this.heartbeatMs)
    beat.unref()
    res.on('close', () => {
      clearInterval(beat)
      c.outputs.delete(res)
    })
  }

  private attachInput(req: Req): Promise<Reply> {
    return new Promise((resolve) => {
      const reader = new RecordReader()
      let c: Nested | undefined
      let settled = false
      const done = (r: Reply) => {
        if (settled) return
        settled = true
        resolve(r)
      }
      const fail = (r: Reply) => {
        if (c) c.inputAttached = false
        done(r)
        req.raw.resume()
      }
      req.raw.on('data', (chunk: Buffer) => {
        if (settled) return
        let records: Buffer[]
        try {
          records = reader.push(chunk)
        } catch (e) {
          return fail(text(400, (e as Error).message))
        }
        for (const rec of records) {
          let msg: J
          try {
            msg = JSON.parse(rec.toString('utf8'))
          } catch (e) {
            return fail(text(400, `Failed to parse record: ${(e as Error).message}`))
          }
          const input = (msg.attach_container_input ?? {}) as J
          if (!c) {
            if (msg.type !== 'ATTACH_CONTAINER_INPUT' || input.type !== 'CONTAINER_ID')
              return fail(text(400, "Expecting 'attach_container_input.type' to be CONTAINER_ID"))
            const id = idOf(input.container_id)
            const found = id ? this.containers.get(id) : undefined
            if (!found) return fail(text(404, `Container ${id} cannot be found`))
            if (found.status !== undefined) return fail(text(500, `Container ${id} has terminated`))
            if (found.inputAttached) return fail(text(409, 'Multiple input connections are not allowed'))
            found.inputAttached = true
            c = found
            continue
          }
          const pio = (input.process_io ?? {}) as J
          const data = (pio.data ?? {}) as J
          if (pio.type === 'DATA' && data.type === 'STDIN') {
            const bytes = Buffer.from(typeof data.data === 'string' ? data.data : '', 'base64')
            // an empty DATA record is EOF
            if (bytes.length === 0) c.proc.stdin?.end()
            else c.proc.stdin?.write(bytes)
          }
        }
      })
      req.raw.on('end', () => {
        if (c) c.inputAttached = false
        done({ status: 200, body: '' })
      })
      req.raw.on('error', () => fail(text(400, 'input connection failed')))
    })
  }

  stop(): void {
    for (const c of this.containers.values()) if (c.status === undefined) c.proc.kill('SIGKILL')
  }
}

function idOf(v: unknown): string | undefined {
  const value = (v as J | undefined)?.value
  return typeof value === 'string' && value ? value : undefined
}

function readAll(req: Req): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.raw.on('data', (c: Buffer) => chunks.push(c))
    req.raw.on('end', () => resolve(Buffer.concat(chunks)))
    req.raw.on('error', () => resolve(Buffer.concat(chunks)))
  })
}

function signalNumber(sig: NodeJS.Signals): number | undefined {
  const table: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGKILL: 9,
    SIGSEGV: 11,
    SIGPIPE: 13,
    SIGTERM: 15,
  }
  return table[sig]
}
