/**
 * The two connections of a container session: the output stream (a streaming response read
 * through the shared HttpClient) and the input stream, a chunked request body that stays open
 * (ATTACH_CONTAINER_INPUT), which the HttpClient cannot send, so it is a node:http(s) request with
 * the client's own credentials and TLS settings.
 */
import { readFileSync } from 'node:fs'
import * as http from 'node:http'
import * as https from 'node:https'
import { RecordIODecoder } from '../events/recordio.js'
import type { HttpClient } from '../http/client.js'
import { type Endpoint, hostPort } from '../http/endpoint.js'
import { transportError } from '../http/errors.js'
import { refusal } from './errors.js'
import { decodeProcessIo } from './protocol.js'

export const API_PATH = '/api/v1'

/** A promise returned by a callback pauses the stream until it settles (a full stdout pipe). */
export interface Output {
  onStdout(bytes: Buffer): unknown
  onStderr(bytes: Buffer): unknown
}

/**
 * POSTs a streaming call (LAUNCH_NESTED_CONTAINER_SESSION, ATTACH_CONTAINER_OUTPUT); resolves with
 * a promise of the stream's end once the agent accepted it (200), rejects with its refusal.
 */
export async function openOutput(
  client: HttpClient,
  agent: Endpoint,
  call: Record<string, unknown>,
  what: string,
  out: Output,
  signal: AbortSignal,
): Promise<{ ended: Promise<void> }> {
  const res = await client.request(agent, API_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/recordio', 'message-accept': 'application/json' },
    body: JSON.stringify(call),
    bodyTimeoutSec: null,
    signal,
  })
  if (res.status !== 200) throw refusal(res.status, await res.text().catch(() => ''), what)
  const decoder = new RecordIODecoder()
  const ended = new Promise<void>((resolve, reject) => {
    res.body.on('data', (chunk: Buffer) => {
      let records: Buffer[]
      try {
        records = decoder.push(chunk)
        const waits: Promise<void>[] = []
        for (const rec of records) {
          const ev = decodeProcessIo(rec)
          const wait = ev.kind === 'stdout' ? out.onStdout(ev.bytes) : ev.kind === 'stderr' ? out.onStderr(ev.bytes) : undefined
          if (wait instanceof Promise) waits.push(wait)
        }
        if (waits.length > 0) {
          res.body.pause()
          void Promise.allSettled(waits).then(() => res.body.resume())
        }
      } catch (err) {
        res.body.destroy()
        reject(refusal(200, `bad output stream: ${(err as Error).message}`, what))
      }
    })
    res.body.on('end', () => resolve())
    res.body.on('error', (err) => reject(err.name === 'AbortError' ? err : transportError(agent, err, client.opts.timeoutSec)))
    res.body.on('aborted', () => reject(transportError(agent, Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), client.opts.timeoutSec)))
  })
  return { ended }
}

export interface Input {
  write(record: Buffer): void
  end(): void
  destroy(): void
  /** the agent's answer: 200 once input is over, 500 when the container already finished */
  response: Promise<{ status: number; body: string }>
}

/** Opens ATTACH_CONTAINER_INPUT: `Content-Type: application/recordio`, chunked, never ending by itself. */
export function openInput(client: HttpClient, agent: Endpoint, signal: AbortSignal): Input {
  const o = client.opts
  const headers: Record<string, string> = {
    'user-agent': 'mesos-cli',
    'content-type': 'application/recordio',
    'message-content-type': 'application/json',
    accept: 'application/json',
  }
  if (o.token) headers.authorization = `Bearer ${o.token}`
  else if (o.principal !== undefined && o.secret !== undefined)
    headers.authorization = `Basic ${Buffer.from(`${o.principal}:${o.secret}`).toString('base64')}`
  const base = { host: agent.host, port: agent.port, path: `${agent.prefix ?? ''}${API_PATH}`, method: 'POST', headers, signal }
  o.debug?.(`> POST ${agent.scheme}://${hostPort(agent)}${base.path} (ATTACH_CONTAINER_INPUT, streamed)`)
  const req =
    agent.scheme === 'https'
      ? https.request({
          ...base,
          ...(o.caFile ? { ca: readFileSync(o.caFile) } : {}),
          rejectUnauthorized: !o.insecure,
        })
      : http.request(base)
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => {
        body += d
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', (err) => reject(err.name === 'AbortError' ? err : transportError(agent, err, o.timeoutSec)))
  })
  // the session goes on if input fails; callers look at `response` when they care
  response.catch(() => {})
  return {
    write: (record) => {
      if (!req.writableEnded && !req.destroyed) req.write(record)
    },
    end: () => {
      if (!req.writableEnded) req.end()
    },
    destroy: () => req.destroy(),
    response,
  }
}
