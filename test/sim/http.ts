/** Raw HTTP for conformance tests: exact status, headers and body bytes (no decompression). */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'

/** Parsed Mesos JSON in assertions: deliberately untyped, the tests check the shapes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type J = any

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  text: string
  json<T = J>(): T
}

export function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; ca?: string } = {},
): Promise<RawResponse> {
  const u = new URL(url)
  const req = u.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const r = req(
      u,
      { method: opts.method ?? 'GET', headers: opts.headers, ca: opts.ca, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const body = Buffer.concat(chunks)
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: body.toString('utf8'),
            json: () => JSON.parse(body.toString('utf8')),
          })
        })
        res.on('error', reject)
      },
    )
    r.on('error', reject)
    if (opts.body !== undefined) r.write(opts.body)
    r.end()
  })
}

export const get = (url: string, headers?: Record<string, string>) => raw(url, { headers })

export const post = (url: string, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  raw(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })

/** Every `"key":1.0`-style token in a JSON text, to check doubles kept their fractional part. */
export function numberToken(text: string, key: string): string | undefined {
  const m = new RegExp(`"${key}":(-?[0-9][0-9.eE+-]*)`).exec(text)
  return m?.[1]
}
