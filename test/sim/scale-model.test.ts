/** The compact parts of the model answer as the plain ones did: the task index against a scan; agents' ports in a row. */
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { Cluster } from '../../src/sim/cluster.js'
import { Daemon } from '../../src/sim/http.js'
import { isTerminal, type Task } from '../../src/sim/model.js'
import { PortRun } from '../../src/sim/ports.js'
import { Random } from '../../src/sim/random.js'

function scanFind(c: Cluster, id: string): Task | undefined {
  let found: Task | undefined
  for (const t of c.allTasks()) {
    if (t.id !== id) continue
    if (!isTerminal(t.state)) return t
    found ??= t
  }
  return found
}

describe('the task index', () => {
  it('finds what a scan of the master’s tasks finds, through retention, duplicates and teardown', () => {
    const c = new Cluster('m', '/w', new Random(1))
    c.limits.maxCompletedTasksPerFramework = 3
    c.limits.maxCompletedFrameworks = 1
    const agent = c.addAgent({ id: 'a', index: 0, hostname: 'h', port: 1, resources: { cpus: 1, mem: 1, disk: 1, gpus: 0 }, attributes: {}, registeredTime: 0, version: '1.11.0', startTime: 0 })
    const fws = [0, 1, 2].map((i) => c.addFramework({ name: `f${i}` }))
    const ids = Array.from({ length: 8 }, (_, i) => `t${i}`)
    const rng = new Random(2)
    for (let round = 0; round < 40; round++) {
      const t = c.launch({ framework: rng.pick(fws.filter((f) => !f.completed)), agent, id: rng.pick(ids) })
      if (rng.next() < 0.6) c.update(t, rng.next() < 0.5 ? 'TASK_FINISHED' : 'TASK_FAILED')
      if (round === 25) c.completeFramework(fws[0]!)
      if (round === 32) c.completeFramework(fws[1]!)
      for (const id of [...ids, 'nope']) {
        expect(c.findTask(id)).toBe(scanFind(c, id))
        expect(c.tasksById(id)).toEqual([...c.allTasks()].filter((x) => x.id === id))
      }
    }
  })

  it('keeps container IDs as flat, well-formed UUIDs and sandbox paths as joined', () => {
    const c = new Cluster('m', '/w', new Random(1))
    const agent = c.addAgent({ id: 'a', index: 0, hostname: 'h', port: 1, resources: { cpus: 1, mem: 1, disk: 1, gpus: 0 }, attributes: {}, registeredTime: 0, version: '1.11.0', startTime: 0 })
    const t = c.launch({ framework: c.addFramework({ name: 'f' }), agent, id: 'x/../é' })
    expect(t.containerId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(t.sandbox).toBe(`/w/slaves/a/frameworks/${t.frameworkId}/executors/é/runs/${t.containerId}`)
    expect(t.executor.name).toBe("Command Executor (Task: x/../é) (Command: sh -c 'sleep 3600')")
    expect(t.statuses.map((s) => s.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING'])
    const [a, b] = [new Random(9), new Random(9)]
    const h = a.bytes(16)
    h[6] = (h[6]! & 0x0f) | 0x40
    h[8] = (h[8]! & 0x3f) | 0x80
    const x = h.toString('hex')
    expect(b.uuid()).toBe(`${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`)
  })
})

describe('agent ports in a row', () => {
  it('skips a port in use; a failed listen leaves no listener behind', async () => {
    const taken = createServer()
    // a port of the run (below the ephemeral range), held while the daemon is started from it
    const busy = await new PortRun().listen(
      (p) =>
        new Promise<number>((resolve, reject) => {
          taken.once('error', reject)
          taken.listen(p, '127.0.0.1', () => resolve((taken.address() as AddressInfo).port))
        }),
    )
    expect(busy).toBeLessThan(32768)
    const d = new Daemon({
      name: 'agent:test',
      delegate: 'slave(1)',
      processes: [],
      shared: { records: [], faults: [], maxRecords: 10 },
      style: () => ({ legacy: false }),
    })
    d.route('/slave(1)/health', () => ({ status: 200, body: '' }))
    const listeners = () => [d.server.listenerCount('listening'), d.server.listenerCount('error')]
    const before = listeners()
    try {
      await expect(d.listen(busy)).rejects.toThrow(/EADDRINUSE/)
      // ten failures left behind would warn of a leak (MaxListenersExceededWarning)
      expect(listeners()).toEqual(before)
      const port = await new PortRun(busy).listen((p) => d.listen(p))
      expect(port).toBeGreaterThan(busy)
      const res = await fetch(`http://127.0.0.1:${port}/slave(1)/health`)
      expect(res.status).toBe(200)
    } finally {
      await d.close()
      taken.close()
    }
  })
})
