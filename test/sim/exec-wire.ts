/**
 * The agent exec/attach wire protocol written by hand from reference §5.4 (not the CLI's client):
 * a LAUNCH_NESTED_CONTAINER_SESSION or ATTACH_CONTAINER_OUTPUT stream of RecordIO ProcessIO
 * records, and an ATTACH_CONTAINER_INPUT chunked RecordIO request.
 */
import { type ClientRequest, request } from 'node:http'
import type { J } from './http.js'

export interface OutputStream {
  req: ClientRequest
  status: number
  headers: J
  body: () => string
  records: J[]
  stdout: () => Buffer
  stderr: () => Buffer
  ended: Promise<void>
}

function decodeInto(records: J[], out: Buffer[], err: Buffer[]) {
  let buf = Buffer.alloc(0)
  return (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk])
    for (;;) {
      const nl = buf.indexOf(0x0a)
      if (nl < 0) return
      const len = Number(buf.subarray(0, nl).toString())
      if (buf.length < nl + 1 + len) return
      const rec = JSON.parse(buf.subarray(nl + 1, nl + 1 + len).toString())
      buf = buf.subarray(nl + 1 + len)
      records.push(rec)
      if (rec.type === 'DATA') (rec.data.type === 'STDOUT' ? out : err).push(Buffer.from(rec.data.data, 'base64'))
    }
  }
}

/** POSTs a streaming call and resolves once the response head arrived. */
export function streamCall(api: string, call: J, headers: Record<string, string> = {}): Promise<OutputStream> {
  return new Promise((resolve, reject) => {
    const records: J[] = []
    const out: Buffer[] = []
    const err: Buffer[] = []
    const raw: Buffer[] = []
    const req = request(api, {
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': 'application/json', Accept: 'application/recordio', 'Message-Accept': 'application/json', ...headers },
    })
    req.on('response', (res) => {
      const streaming = res.headers['content-type'] === 'application/recordio'
      const decode = decodeInto(records, out, err)
      const ended = new Promise<void>((r) => {
        res.on('end', r)
        res.on('close', r)
      })
      res.on('data', (chunk: Buffer) => (streaming ? decode(chunk) : raw.push(chunk)))
      resolve({
        req,
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: () => Buffer.concat(raw).toString(),
        records,
        stdout: () => Buffer.concat(out),
        stderr: () => Buffer.concat(err),
        ended,
      })
    })
    req.on('error', reject)
    req.end(JSON.stringify(call))
  })
}

export const launchCall = (id: J, command: J, tty = false): J => ({
  type: 'LAUNCH_NESTED_CONTAINER_SESSION',
  launch_nested_container_session: { container_id: id, command, ...(tty ? { container: { type: 'MESOS', tty_info: {} } } : {}) },
})

export interface InputStream {
  req: ClientRequest
  response: Promise<{ status: number; body: string }>
  send(msg: J): void
  stdin(data: Buffer | string): void
  resize(rows: number, columns: number): void
  end(): void
}

const record = (msg: J) => {
  const payload = Buffer.from(JSON.stringify(msg))
  return Buffer.concat([Buffer.from(`${payload.length}\n`), payload])
}

/** Opens ATTACH_CONTAINER_INPUT for a container; its first record names it. */
export function attachInput(api: string, containerId: J, headers: Record<string, string> = {}): InputStream {
  const req = request(api, {
    method: 'POST',
    agent: false,
    headers: {
      'Content-Type': 'application/recordio',
      'Message-Content-Type': 'application/json',
      Accept: 'application/json',
      ...headers,
    },
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
    if (!req.writableEnded) req.write(record(msg))
  }
  const pio = (processIo: J) =>
    send({ type: 'ATTACH_CONTAINER_INPUT', attach_container_input: { type: 'PROCESS_IO', process_io: processIo } })
  send({ type: 'ATTACH_CONTAINER_INPUT', attach_container_input: { type: 'CONTAINER_ID', container_id: containerId } })
  return {
    req,
    response,
    send,
    stdin: (data) => pio({ type: 'DATA', data: { type: 'STDIN', data: Buffer.from(data).toString('base64') } }),
    resize: (rows, columns) => pio({ type: 'CONTROL', control: { type: 'TTY_INFO', tty_info: { window_size: { rows, columns } } } }),
    end: () => req.end(),
  }
}

/** Polls `cond` every 20 ms until it holds or `ms` pass. */
export async function until(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await cond()) return true
    await new Promise((r) => setTimeout(r, 20))
  }
  return cond()
}
