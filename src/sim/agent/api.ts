/**
 * The agent's `POST /api/v1` (`Http::api`, `src/slave/http.cpp`, 1.11): the header rules
 * (reference §5.4), the read calls, and the container calls: LAUNCH_NESTED_CONTAINER_SESSION,
 * ATTACH_CONTAINER_INPUT (a streamed RecordIO request), ATTACH_CONTAINER_OUTPUT and
 * WAIT_CONTAINER / WAIT_NESTED_CONTAINER, answered from the agent's Containerizer.
 */
import type { ServerResponse } from 'node:http'
import { permitted, type Reply, type Req, standard, text } from '../http.js'
import { toBuffer } from '../json.js'
import { accepts } from '../master/v1.js'
import { frame, RecordReader } from '../recordio.js'
import type { World } from '../world.js'
import { type Containerizer, type ContainerRef, type Live, nameOf, refOf } from './containerizer.js'
import { type AgentReads, readCall } from './reads.js'

const JSON_TYPE = 'application/json'
const PROTOBUF = 'application/x-protobuf'
const RECORDIO = 'application/recordio'
const STREAMING = new Set(['ATTACH_CONTAINER_OUTPUT', 'LAUNCH_NESTED_CONTAINER_SESSION'])
const SWITCHBOARD_DISABLED = 'I/O switchboard server was disabled for this container'

type J = Record<string, unknown>

const json = (body: J): Reply => ({ status: 200, headers: { 'Content-Type': JSON_TYPE }, body: toBuffer(body) })
const forbidden = (): Reply => ({ status: 403, body: '' })
const notFound = (id: ContainerRef): Reply => text(404, `Container ${nameOf(id)} cannot be found`)

export class AgentApi {
  constructor(
    private readonly w: World,
    private readonly containers: Containerizer,
    private readonly reads: AgentReads,
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
    if (ct !== JSON_TYPE && ct !== PROTOBUF) return text(415, `Expecting 'Content-Type' of ${JSON_TYPE} or ${PROTOBUF}`)
    if (messageCt !== undefined) return text(415, "Expecting 'Message-Content-Type' header only for streaming requests")
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
    if (!STREAMING.has(type)) {
      if (messageAccept !== undefined) return text(406, "Expecting 'Message-Accept' header only for streaming responses")
      if (!accepts(accept, JSON_TYPE)) return text(406, `Expecting 'Accept' to allow '${JSON_TYPE}'`)
    } else {
      if (accept !== undefined && !accepts(accept, RECORDIO) && !accepts(accept, JSON_TYPE))
        return text(406, `Expecting 'Accept' to allow '${RECORDIO}'`)
      if (messageAccept !== undefined && !accepts(messageAccept, JSON_TYPE))
        return text(406, `Expecting 'Message-Accept' to allow '${JSON_TYPE}'`)
    }
    const can = (action: string) => permitted(this.w.shared.auth, action, req.principal)
    switch (type) {
      case 'LAUNCH_NESTED_CONTAINER_SESSION':
        if (!can('launch_nested_container_sessions')) return forbidden()
        return this.launchSession(req, (call.launch_nested_container_session ?? {}) as J)
      case 'ATTACH_CONTAINER_OUTPUT': {
        const id = refOf((call.attach_container_output as J | undefined)?.container_id)
        if (!id) return text(400, "Failed to validate agent::Call: Expecting 'attach_container_output.container_id' to be present")
        if (!this.containers.executorOf(id)) return notFound(id)
        if (!can('attach_containers_output')) return forbidden()
        const found = this.containers.find(id)
        if (!found) return text(500, `Unknown container ${nameOf(id)}`)
        if (found.kind !== 'live') return text(500, SWITCHBOARD_DISABLED)
        this.stream(req.res, found.c)
        return { status: 200, streamed: true }
      }
      case 'ATTACH_CONTAINER_INPUT':
        return text(415, `Expecting 'Content-Type' to be ${RECORDIO} for ATTACH_CONTAINER_INPUT`)
      case 'WAIT_CONTAINER':
      case 'WAIT_NESTED_CONTAINER': {
        const key = type === 'WAIT_CONTAINER' ? 'wait_container' : 'wait_nested_container'
        const id = refOf((call[key] as J | undefined)?.container_id)
        if (!id) return text(400, `Failed to validate agent::Call: Expecting '${key}.container_id' to be present`)
        if (!can(id.parent ? 'wait_nested_containers' : 'wait_standalone_containers')) return forbidden()
        const status = await this.containers.wait(id)
        if (status === undefined) return notFound(id)
        return json({ type, [key]: { exit_status: status } })
      }
      default: {
        const reply = await readCall(this.reads, type, call)
        return reply ?? text(400, `Failed to validate agent::Call: unsupported call type ${type}`)
      }
    }
  }

  /** `Http::launchNestedContainerSession`: launch a DEBUG container, then stream its output. */
  private launchSession(req: Req, body: J): Reply {
    const id = refOf(body.container_id)
    if (!id?.parent)
      return text(400, "Expecting 'launch_nested_container_session.container_id.parent' to be present")
    const command = (body.command ?? {}) as J
    const value = typeof command.value === 'string' ? command.value : ''
    const args = Array.isArray(command.arguments) ? command.arguments.map(String) : []
    const container = body.container as J | undefined
    if (container !== undefined && container.type !== 'MESOS')
      return text(400, 'The provided ContainerInfo is not supported')
    if (this.containers.live.has(nameOf(id))) return { status: 202, body: '' }
    const r = this.containers.launchDebug(
      id as ContainerRef & { parent: ContainerRef },
      { shell: command.shell !== false, value, arguments: args },
      container?.tty_info !== undefined,
    )
    if ('failure' in r) return text(400, r.failure)
    const c = r.ok
    this.stream(req.res, c)
    // the nested container is destroyed when the session's connection closes
    req.res.on('close', () => {
      if (c.status === undefined) c.proc.destroy()
    })
    return { status: 200, streamed: true }
  }

  /** An output connection of the I/O switchboard (`attachContainerOutput`, heartbeatLoop). */
  private stream(res: ServerResponse, c: Live): void {
    res.writeHead(200, { 'Content-Type': RECORDIO, 'Message-Content-Type': JSON_TYPE })
    res.flushHeaders()
    const onOutput = (kind: 'STDOUT' | 'STDERR', chunk: Buffer) => {
      if (!res.writableEnded) res.write(frame(toBuffer({ type: 'DATA', data: { type: kind, data: chunk.toString('base64') } })))
    }
    c.outputs.add(res)
    const listeners = outputListeners(c)
    listeners.add(onOutput)
    const beat = setInterval(() => {
      // the session may have ended (the process exited) before the connection closed
      if (res.writableEnded || res.destroyed) return
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
      listeners.delete(onOutput)
    })
  }

  /** `Http::attachContainerInput` and the switchboard's input loop. */
  private attachInput(req: Req): Promise<Reply> {
    return new Promise((resolve) => {
      const reader = new RecordReader()
      let c: Live | undefined
      let settled = false
      let pending = Promise.resolve()
      const done = (r: Reply) => {
        if (settled) return
        settled = true
        if (c) c.inputAttached = false
        resolve(r)
        req.raw.resume()
      }
      const first = (msg: J): Reply | Promise<Reply | undefined> | undefined => {
        const input = (msg.attach_container_input ?? {}) as J
        if (msg.type !== 'ATTACH_CONTAINER_INPUT' || input.type !== 'CONTAINER_ID')
          return text(400, "Expecting 'attach_container_input.type' to be CONTAINER_ID")
        const id = refOf(input.container_id)
        if (!id) return text(400, "Expecting 'attach_container_input.container_id' to be present")
        if (!this.containers.executorOf(id)) return notFound(id)
        if (!permitted(this.w.shared.auth, 'attach_containers_input', req.principal)) return forbidden()
        const found = this.containers.find(id)
        if (!found) return text(500, `Unknown container ${nameOf(id)}`)
        if (found.kind !== 'live') return text(500, SWITCHBOARD_DISABLED)
        if (found.c.inputAttached) return text(409, 'Multiple input connections are not allowed')
        found.c.inputAttached = true
        c = found.c
        // once the container's output is over the switchboard answers, input or not (after 1 s)
        void c.done.then(() => setTimeout(() => done({ status: 200, body: '' }), 1000).unref())
        return undefined
      }
      const next = (msg: J): Reply | undefined => {
        const live = c!
        const input = (msg.attach_container_input ?? {}) as J
        if (msg.type !== 'ATTACH_CONTAINER_INPUT' || input.type !== 'PROCESS_IO')
          return text(400, `Expecting 'attach_container_input.type' to be 'PROCESS_IO' instead of: '${String(input.type ?? 'UNKNOWN')}'`)
        const pio = (input.process_io ?? {}) as J
        if (pio.type === 'CONTROL') {
          const control = (pio.control ?? {}) as J
          if (control.type === 'TTY_INFO') {
            const size = ((control.tty_info ?? {}) as J).window_size as J | undefined
            if (!size) return text(400, "Expecting 'tty_info.window_size' to be present")
            if (!live.proc.resize(Number(size.rows ?? 0), Number(size.columns ?? 0)))
              return text(400, 'Unable to set the window size: Inappropriate ioctl for device')
            return undefined
          }
          if (control.type === 'HEARTBEAT') return undefined
          return text(400, "'process_io.control.type' is unknown")
        }
        if (pio.type === 'DATA') {
          const data = (pio.data ?? {}) as J
          if (data.type !== 'STDIN') return text(400, "Expecting 'process_io.data.type' to be 'STDIN'")
          if (typeof data.data !== 'string') return text(400, "Expecting 'process_io.data.data' to be present")
          const bytes = Buffer.from(data.data, 'base64')
          // an empty DATA record is EOF without a TTY; with one the client sends EOT instead
          if (bytes.length === 0) {
            if (!live.tty) live.proc.closeInput()
          } else live.proc.write(bytes)
          return undefined
        }
        return text(400, "Expecting 'process_io.type' to be present")
      }
      req.raw.on('data', (chunk: Buffer) => {
        if (settled) return
        let records: Buffer[]
        try {
          records = reader.push(chunk)
        } catch (e) {
          return done(text(400, (e as Error).message))
        }
        pending = pending.then(() => {
          for (const rec of records) {
            if (settled) return
            let msg: J
            try {
              msg = JSON.parse(rec.toString('utf8'))
            } catch (e) {
              return done(text(400, `Failed to parse record: ${(e as Error).message}`))
            }
            const r = c ? next(msg) : (first(msg) as Reply | undefined)
            if (r) return done(r)
          }
        })
      })
      req.raw.on('end', () => {
        void pending.then(() => {
          if (!c && !settled) return done(text(400, 'IOSwitchboard received EOF while reading request body'))
          done({ status: 200, body: '' })
        })
      })
      req.raw.on('error', () => done(text(400, 'input connection failed')))
    })
  }
}

type OutputListener = (kind: 'STDOUT' | 'STDERR', bytes: Buffer) => void
const listenerSets = new WeakMap<Live, Set<OutputListener>>()

/** One subscription to a container's output, shared by its output connections. */
function outputListeners(c: Live): Set<OutputListener> {
  let set = listenerSets.get(c)
  if (!set) {
    const s = new Set<OutputListener>()
    set = s
    listenerSets.set(c, s)
    c.proc.onOutput((kind, bytes) => {
      for (const l of s) l(kind, bytes)
    })
  }
  return set
}

function readAll(req: Req): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.raw.on('data', (c: Buffer) => chunks.push(c))
    req.raw.on('end', () => resolve(Buffer.concat(chunks)))
    req.raw.on('error', () => resolve(Buffer.concat(chunks)))
  })
}
