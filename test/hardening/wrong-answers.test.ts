/**
 * Issue 12, defect 6: no wrong answer in place of an error. A config value of the wrong type is an
 * exit-2 error naming the key; a cached answer never hides a 401 or a TLS error (the cache is bound
 * to credentials, CA and scheme); `ps` with an agent down is a partial failure (exit 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { refusedPort } from '../helpers/ports.js'
import { fakeMaster, oneLineError, oneTaskState, run, scratchHome } from './hostile.js'

describe('config values of the wrong type', () => {
  const cases: [string, unknown, RegExp][] = [
    ['master', 5050, /^mesos: invalid master 5050 in profile "default" of .*: expected a string, got a number$/m],
    ['master', true, /^mesos: invalid master true in profile "default" .*expected a string, got a boolean$/m],
    ['scheme', ['https'], /^mesos: invalid scheme \["https"\] .*expected one of http, https, got a list$/m],
    ['insecure', {}, /^mesos: invalid insecure \{\} .*expected true or false, got an object$/m],
    ['response_timeout', 'soon', /^mesos: invalid response_timeout "soon" .*expected a number of seconds/m],
    ['max_workers', 0, /^mesos: invalid max_workers 0 .*expected a whole number from 1 to 1024$/m],
    ['ssh_port', [22], /^mesos: invalid ssh_port \[22\] .*got a list$/m],
    ['principal', 42, /^mesos: invalid principal 42 .*expected a string, got a number$/m],
  ]
  for (const [key, value, message] of cases) {
    it(`"${key}": ${JSON.stringify(value)} is exit 2 naming the key`, async () => {
      const h = scratchHome({ default: { [key]: value } })
      const r = await run(['agents'], h.env())
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(message)
      expect(oneLineError(r.stderr)).toBeUndefined()
    })
  }

  it('"profile": 5 at the top level is exit 2 naming it', async () => {
    const h = scratchHome({ profile: 5, default: {} })
    const r = await run(['agents'], h.env())
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^mesos: invalid profile 5: expected the name of a profile/m)
  })
})

describe('the cache never hides an error', () => {
  let sim: Simulator
  let tlsSim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'hello', auth: { principal: 'ops', secret: 'right' }, logIntervalMs: 0 })
    tlsSim = await startSimulator({ scenario: 'hello', https: true, logIntervalMs: 0 })
  })
  afterAll(async () => {
    await sim.stop()
    await tlsSim.stop()
  })

  it('a wrong secret within cache_ttl gets its 401, not the answer cached with the right one', async () => {
    const base = { master: sim.leader!.address, scheme: 'http', principal: 'ops', cache_ttl: 300 }
    const h = scratchHome({ profile: 'good', good: { ...base, secret: 'right' }, bad: { ...base, secret: 'wrong' } })
    const good = await run(['ps'], h.env())
    expect(good.code).toBe(0)
    expect(good.stdout).toMatch(/hello-1/)
    const bad = await run(['ps', '--profile', 'bad'], h.env())
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toMatch(/^mesos: 401 from master/m)
    expect(bad.code).toBe(1)
  })

  it('no ca_file within cache_ttl gets the TLS error, not the answer cached with it', async () => {
    const base = { master: tlsSim.leader!.url, cache_ttl: 300 }
    const h = scratchHome({ profile: 'trusted', trusted: { ...base, ca_file: tlsSim.caFile }, bare: base })
    const trusted = await run(['ps'], h.env())
    expect(trusted.code).toBe(0)
    expect(trusted.stdout).toMatch(/hello-1/)
    const bare = await run(['ps', '--profile', 'bare'], h.env())
    expect(bare.stdout).toBe('')
    expect(bare.stderr).toMatch(/^mesos: TLS certificate of master .* not trusted: self-signed certificate$/m)
    expect(bare.code).toBe(4)
  })
})

describe('ps with an agent down', () => {
  it('prints what it has, warns, and exits 1 (partial failure)', async () => {
    const port = await refusedPort()
    const m = await fakeMaster({ '/master/state': oneTaskState(port) })
    try {
      const h = scratchHome({ default: { master: m.address, cache_ttl: 0 } })
      const r = await run(['ps'], h.env())
      expect(r.stdout).toMatch(/web\.1/)
      expect(r.stderr).toMatch(/^mesos: warning: no statistics from agent 127\.0\.0\.1 .*connection refused/m)
      expect(r.code).toBe(1)
    } finally {
      await m.close()
    }
  })
})
