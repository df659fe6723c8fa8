/**
 * Issue 12, defect 1: the scheme of the master URL is the cluster's, for agents too, and
 * credentials never travel over plain http unless the user chose http by name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { selfSignedCert, type TestServer } from '../helpers/http-server.js'
import { captureListener, fakeMaster, type Listener, oneTaskState, run, scratchHome } from './hostile.js'

const PRINCIPAL = 'ops'
const SECRET = 'hunter2-agent-secret'
const BASIC = Buffer.from(`${PRINCIPAL}:${SECRET}`).toString('base64')

describe('credentials over an https cluster', () => {
  let tls: ReturnType<typeof selfSignedCert>
  let master: TestServer
  let agent: Listener

  beforeAll(async () => {
    tls = selfSignedCert()
    agent = await captureListener()
    master = await fakeMaster({ '/master/state': oneTaskState(agent.port) }, tls)
  })
  afterAll(async () => {
    await master.close()
    await agent.close()
  })

  it('an https:// master with principal/secret sends no credential to a plaintext listener', async () => {
    const h = scratchHome({
      profile: 'default',
      default: { master: `https://${master.address}`, principal: PRINCIPAL, secret: SECRET, ca_file: tls.certFile, cache_ttl: 0 },
    })
    const r = await run(['ps'], h.env())
    // the agent at the plaintext listener was asked (and failed: it speaks no TLS)…
    expect(agent.connections()).toBeGreaterThan(0)
    expect(r.code).toBe(1)
    // …over TLS: nothing readable, no credential
    const seen = agent.received().toString('latin1')
    expect(seen).not.toMatch(/authorization|GET \//i)
    expect(seen).not.toContain(BASIC)
    expect(seen).not.toContain(SECRET)
    // the master was asked over https with the credential
    expect(master.requests.find((q) => q.url === '/master/state')?.headers.authorization).toBe(`Basic ${BASIC}`)
  })

  it('a bearer token is not sent over plain http that was not chosen, and the 401 says why', async () => {
    const plain = await fakeMaster({})
    plain.route('/master/state-summary', (req, res) => {
      res.writeHead(req.headers.authorization ? 200 : 401, { 'www-authenticate': 'Bearer realm="mesos"' })
      res.end(req.headers.authorization ? '{}' : '')
    })
    try {
      const h = scratchHome({ default: { master: plain.address, token: 'tok-secret-123', cache_ttl: 0 } })
      const r = await run(['agents'], h.env())
      expect(r.code).toBe(1)
      expect(plain.requests.every((q) => q.headers.authorization === undefined)).toBe(true)
      expect(r.stderr).toMatch(/^mesos: 401 from master .*\nhint: credentials are never sent over plain http/m)
      // chosen by name: sent
      const chosen = scratchHome({ default: { master: plain.address, scheme: 'http', token: 'tok-secret-123', cache_ttl: 0 } })
      expect((await run(['agents'], chosen.env())).code).toBe(0)
      expect(plain.requests.at(-1)?.headers.authorization).toBe('Bearer tok-secret-123')
    } finally {
      await plain.close()
    }
  })
})

describe('an https simulator with basic authentication', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'hello', https: true, auth: { principal: PRINCIPAL, secret: SECRET }, logIntervalMs: 0 })
  })
  afterAll(() => sim.stop())

  it('a master https:// URL alone (no scheme key) reads agents over https with the credentials', async () => {
    const h = scratchHome({
      default: { master: sim.leader!.url, principal: PRINCIPAL, secret: SECRET, ca_file: sim.caFile, cache_ttl: 0 },
    })
    const r = await run(['ps', '--json'], h.env())
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.stdout) as { rss_bytes: number | null }[]
    expect(rows.length).toBeGreaterThan(0)
    // statistics came from the agents: they were reached over https, authenticated
    expect(rows.some((row) => row.rss_bytes !== null)).toBe(true)
  })
})
