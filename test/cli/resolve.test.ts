/** `mesos resolve` in-process against stubbed masters: exactly the requests it should make, no others. */
import { afterEach, describe, expect, it } from 'vitest'
import { runCommand } from '../helpers/run-command.js'
import { type StubRegistry, stubRegistry } from '../helpers/stub-http.js'

let stubs: StubRegistry | undefined
afterEach(async () => {
  const open = stubs
  stubs = undefined
  await open?.close()
})

describe('resolve', () => {
  it('follows /master/redirect to the leader and asks it GET_MASTER for --json (id, hostname, version)', async () => {
    const leader = await stubRegistry()
    stubs = await stubRegistry()
    try {
      stubs.stub('GET', '/master/redirect', { status: 307, headers: { location: `//${leader.address}/master/redirect` } })
      leader.stub('POST', '/api/v1', {
        body: { type: 'GET_MASTER', get_master: { master_info: { id: 'M-1', hostname: 'master-1.example', version: '1.11.0' } } },
      })
      const run = await runCommand(['resolve', '--json', '--master', stubs.address])
      expect(await run.done).toBe(0)
      expect(JSON.parse(run.stdout())).toEqual({
        leader: leader.address,
        url: `http://${leader.address}`,
        source: 'redirect',
        id: 'M-1',
        hostname: 'master-1.example',
        version: '1.11.0',
      })
      stubs.verify()
      leader.verify()
    } finally {
      await leader.close()
    }
  })

  it('a master without the v1 API (pre-1.0) still gives its /version', async () => {
    const leader = await stubRegistry()
    stubs = await stubRegistry()
    try {
      stubs.stub('GET', '/master/redirect', { status: 307, headers: { location: `//${leader.address}/master/redirect` } })
      leader.stub('POST', '/api/v1', { status: 404 })
      leader.stub('GET', '/version', { body: { version: '0.28.2' } })
      const run = await runCommand(['resolve', '--json', '--master', stubs.address])
      expect(await run.done).toBe(0)
      expect(JSON.parse(run.stdout())).toEqual({ leader: leader.address, url: `http://${leader.address}`, source: 'redirect', version: '0.28.2' })
      leader.verify()
    } finally {
      await leader.close()
    }
  })

  it('the registry itself fails a test on an unused stub and on an unmatched request', async () => {
    stubs = await stubRegistry()
    stubs.stub('GET', '/master/redirect', { status: 503 })
    stubs.stub('GET', '/never', { body: {} })
    const run = await runCommand(['resolve', '--master', stubs.address])
    expect(await run.done).toBe(4)
    expect(() => stubs!.verify()).toThrow(/stub never used: GET \/never/)
    expect((await fetch(`http://${stubs.address}/master/state`)).status).toBe(599)
    expect(() => stubs!.verify()).toThrow(/unmatched request: GET \/master\/state/)
  })
})
