/**
 * Issue 12, defect 5: internals never reach the user. A wrong-shape or empty answer is one line
 * naming who sent it and for which endpoint (exit 4 from a master, 1 from an agent); config errors
 * read as words; a hundred agents raise no MaxListenersExceededWarning.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN } from '../helpers/cli.js'
import { json, startServer, type TestServer } from '../helpers/http-server.js'
import { fakeMaster, oneLineError, oneTaskState, run, scratchHome } from './hostile.js'

const WRONG: [string, string, string[], string][] = [
  ['{"slaves": 5}', '/master/state-summary', ['agents'], 'slaves is a number, not a list'],
  ['[]', '/master/state-summary', ['agents'], 'the answer is a list, not an object'],
  ['null', '/master/state-summary', ['frameworks'], 'the answer is null, not an object'],
  ['{"frameworks": [{"id": 7}]}', '/master/state-summary', ['frameworks'], 'frameworks[0].id is a number, not a string'],
  ['{"slaves": [{"id": "a", "resources": {"cpus": "many"}}]}', '/master/state-summary', ['agents'], 'slaves[0].resources.cpus is a string, not a number'],
  ['', '/master/state-summary', ['agents'], ''],
  ['{"completed_frameworks": {}}', '/master/frameworks', ['frameworks', '-i'], 'completed_frameworks is an object, not a list'],
  ['{"slaves": "none"}', '/master/slaves', ['state', 'x'], 'slaves is a string, not a list'],
  ['<html>\u001b[31mproxy error</html>', '/master/state-summary', ['agents'], ''],
]

describe('wrong answers from a master', () => {
  for (const [body, path, args, detail] of WRONG) {
    it(`${JSON.stringify(body)} for ${path} (${args.join(' ')}): exit 4, one line naming master and endpoint`, async () => {
      const routes: Record<string, unknown> = { '/master/state-summary': { slaves: [], frameworks: [] } }
      const m = await fakeMaster(routes)
      m.route(path, (_req, res) => json(res, 200, body))
      try {
        const h = scratchHome({ default: { master: m.address, cache_ttl: 0 } })
        const r = await run(args, h.env())
        expect(r.code).toBe(4)
        expect(oneLineError(r.stderr)).toBeUndefined()
        const what = body === '' ? 'an empty answer' : detail === '' ? 'an answer that is not JSON' : 'an unexpected answer'
        expect(r.stderr).toContain(`mesos: master ${m.address} sent ${what} for ${path}`)
        if (detail) expect(r.stderr).toContain(detail)
        // cluster text is made inert
        expect(r.stderr).not.toContain('\u001b')
      } finally {
        await m.close()
      }
    })
  }
})

describe('wrong answers from an agent', () => {
  let agent: TestServer
  let master: TestServer
  beforeAll(async () => {
    agent = await startServer()
    agent.route('/slave(1)/monitor/statistics', (_req, res) => json(res, 200, { not: 'a list' }))
    master = await fakeMaster({ '/master/state': oneTaskState(agent.port) })
  })
  afterAll(async () => {
    await agent.close()
    await master.close()
  })

  it('ps: statistics of the wrong shape are a warning naming the agent, and exit 1', async () => {
    const h = scratchHome({ default: { master: master.address, cache_ttl: 0 } })
    const r = await run(['ps'], h.env())
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`agent 127.0.0.1:${agent.port} sent an unexpected answer for /slave(1)/monitor/statistics`)
    expect(r.stderr).not.toMatch(/TypeError|is not a function|\n\s+at /)
    expect(r.stdout).toMatch(/web\.1/)
  })
})

describe('many agents', () => {
  it('ps over 100 agents shows no MaxListenersExceededWarning', async () => {
    const agent = await startServer()
    agent.route('/slave(1)/monitor/statistics', (_req, res) => setTimeout(() => json(res, 200, []), 50))
    const state = oneTaskState(agent.port) as { slaves: Record<string, unknown>[]; frameworks: { tasks: Record<string, unknown>[] }[] }
    const [slave] = state.slaves
    const [task] = state.frameworks[0]!.tasks
    state.slaves = []
    state.frameworks[0]!.tasks = []
    for (let i = 0; i < 100; i++) {
      state.slaves.push({ ...slave, id: `agent-${i}` })
      state.frameworks[0]!.tasks.push({ ...task, id: `web.${i}`, slave_id: `agent-${i}` })
    }
    const master = await fakeMaster({ '/master/state': state })
    try {
      const h = scratchHome({ default: { master: master.address, cache_ttl: 0, max_workers: 64 } })
      const r = await run(['ps'], h.env())
      expect(r.stderr).not.toMatch(/Warning/)
      expect(r.code).toBe(0)
      expect(r.stdout.trim().split('\n')).toHaveLength(101)
    } finally {
      await master.close()
      await agent.close()
    }
  })
})

describe('config file errors in words', () => {
  it('an unreadable config: "cannot read FILE: permission denied", exit 2', () => {
    const h = scratchHome({ default: { master: 'h:1' } })
    chmodSync(h.home, 0o755)
    chmodSync(h.config, 0o000)
    const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : []
    const argv = [...asUser, process.execPath, BIN, 'agents']
    const r = spawnSync(argv[0]!, argv.slice(1), { env: h.env(), encoding: 'utf8', timeout: 20_000 })
    expect(r.stderr).toBe(`mesos: cannot read ${h.config}: permission denied\n`)
    expect(r.status).toBe(2)
  })

  it('a config that is a directory: "cannot read FILE: is a directory", exit 2', async () => {
    const h = scratchHome()
    const { mkdirSync } = await import('node:fs')
    mkdirSync(h.config)
    const r = await run(['agents'], h.env())
    expect(r.stderr).toBe(`mesos: cannot read ${h.config}: is a directory\n`)
    expect(r.code).toBe(2)
  })

  it('saving where the lock cannot be made: one line in words, exit 1', () => {
    const h = scratchHome({ default: { master: 'h:1' } })
    chmodSync(h.home, 0o755)
    chmodSync(h.config, 0o666)
    writeFileSync(h.config, '{"default": {"master": "h:1"}}')
    const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : []
    const argv = [...asUser, process.execPath, BIN, 'config', 'ssh_user', 'bob']
    const r = spawnSync(argv[0]!, argv.slice(1), { env: h.env(), encoding: 'utf8', timeout: 20_000 })
    expect(r.stderr).toBe(`mesos: cannot lock ${h.config}.lock: permission denied\n`)
    expect(r.status).toBe(1)
  })
})
