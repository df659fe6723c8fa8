/**
 * The exact-ID path (spec §4, reference §2.7) through the built CLI: a TASK that is a task's whole
 * ID is answered by `/master/tasks?task_id=` in at most three master requests; a master that
 * ignores the filter (before 1.4) or an argument that is no task's ID falls back to the whole state,
 * and both paths print the same thing.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import type { SimVersion } from '../../src/sim/versions.js'
import { cleanEnv, runCli } from '../helpers/cli.js'

const scenario = {
  name: 'exact-e2e',
  agents: 2,
  frameworks: [
    {
      name: 'web',
      tasks: [
        { id: 'web.1', agent: 0 },
        { id: 'web.10', agent: 1 },
        { id: 'job-done', agent: 1, state: 'TASK_FINISHED' },
      ],
    },
  ],
}

const sims = new Map<SimVersion, Simulator>()
let home: string
let runs = 0

/** A cold run (its own empty cache) and the master requests it made. */
async function cold(version: SimVersion, args: string[]) {
  const sim = sims.get(version)!
  sim.resetRequests()
  const r = await runCli(args, {
    env: cleanEnv(home, { MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: join(home, `cache-${runs++}`) }),
    cwd: home,
  })
  const masters = sim.requests({ server: 'masters' }).map((q) => (q.query ? `${q.path}?${q.query}` : q.path))
  return { ...r, masters }
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'mesos-exact-e2e-'))
  for (const version of ['1.11.0', '0.28.0'] as const)
    sims.set(version, await startSimulator({ scenario, version, logIntervalMs: 0, liveEvents: false, eagerSandboxes: true, rateLimit: false }))
}, 60_000)

afterAll(async () => {
  await Promise.all([...sims.values()].map((s) => s.stop()))
  await rm(home, { recursive: true, force: true })
})

const isState = (p: string) => /^\/master\/state(\.json)?(\?|$)/.test(p)

describe('the exact-ID path', () => {
  it('an exact ID on 1.11: /master/tasks?task_id= and the agent, never the whole state, in at most 3 requests', async () => {
    const r = await cold('1.11.0', ['ls', 'web.1'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('stdout')
    expect(r.masters.length).toBeLessThanOrEqual(3)
    expect(r.masters).toContain('/master/tasks?task_id=web.1')
    expect(r.masters.some(isState)).toBe(false)
  })

  it('a master before 1.4 ignores the filter: detected, the whole state read, the same answer', async () => {
    const fast = await cold('1.11.0', ['ls', 'web.1'])
    const old = await cold('0.28.0', ['ls', 'web.1'])
    expect(old.code).toBe(0)
    expect(old.masters.some(isState)).toBe(true)
    expect(old.stdout).toBe(fast.stdout)
  })

  it('a fragment that is no task ID falls back to the whole state; an exact ID still wins over the IDs containing it', async () => {
    const frag = await cold('1.11.0', ['ls', '--json', 'web.1', 'stdout'])
    expect(frag.code).toBe(0)
    const fragOld = await cold('0.28.0', ['ls', '--json', 'web.1', 'stdout'])
    expect(fragOld.stdout).toBe(frag.stdout)
    const some = await cold('1.11.0', ['cat', 'web.1'])
    const full = await cold('1.11.0', ['cat', 'web.'])
    expect(some.masters.some(isState)).toBe(false)
    expect(full.masters).toContain('/master/tasks?task_id=web.')
    expect(full.masters.some(isState)).toBe(true)
    // `web.` matches web.1 and web.10: both are printed, each under its header
    expect(full.stdout).toContain('==> web.1:stdout <==')
    expect(full.stdout).toContain('==> web.10:stdout <==')
  })

  it('a fragment scan of a small cluster caches its full index: the next command, another fragment, reads no state', async () => {
    const sim = sims.get('1.11.0')!
    const env = cleanEnv(home, { MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: join(home, `cache-${runs++}`) })
    const first = await runCli(['cat', 'web.'], { env, cwd: home })
    expect(first.code).toBe(0)
    sim.resetRequests()
    const next = await runCli(['ls', '-i', 'job-'], { env, cwd: home })
    expect(next.code).toBe(0)
    expect(next.stdout).toContain('stdout')
    expect(sim.requests({ server: 'masters' }).map((q) => q.path).filter(isState)).toEqual([])
  })

  it('a finished task named exactly is not active: both paths agree on what ls says', async () => {
    const now = await cold('1.11.0', ['ls', 'job-done'])
    const old = await cold('0.28.0', ['ls', 'job-done'])
    expect({ code: now.code, stdout: now.stdout, stderr: now.stderr }).toEqual({ code: old.code, stdout: old.stdout, stderr: old.stderr })
    const all = await cold('1.11.0', ['ls', '-i', 'job-done'])
    const allOld = await cold('0.28.0', ['ls', '-i', 'job-done'])
    expect(all.code).toBe(0)
    expect(all.stdout).toBe(allOld.stdout)
  })
})
