/**
 * Scale scenario benchmark: start time and memory of `startSimulator({scenario: 'scale'})` with
 * 1,000 agents and 100,000 tasks in this one process, and the cost of the big master documents.
 * Run: node --expose-gc --import tsx bench/sim-scale.ts [agents] [tasks]
 *   the 1M size: node --expose-gc --import tsx bench/sim-scale.ts 10000 1000000 (about 1.5 GiB,
 *   ~26 s of CPU to start; the full /master/state then takes minutes; not part of `npm run bench`)
 */
import { request } from 'node:http'
import { loadavg } from 'node:os'
import { startSimulator } from '../src/sim/index.js'

const agents = Number(process.argv[2] ?? 1000)
const tasks = Number(process.argv[3] ?? 100_000)

function timedGet(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = performance.now()
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let bytes = 0
      res.on('data', (c: Buffer) => {
        bytes += c.length
      })
      res.on('end', () => resolve({ ms: performance.now() - t0, bytes, status: res.statusCode ?? 0 }))
    })
      .on('error', reject)
      .end()
  })
}

const mb = (n: number) => `${(n / 1048576).toFixed(0)} MiB`
const before = process.memoryUsage()
const t0 = performance.now()
const cpu0 = process.cpuUsage()
const sim = await startSimulator({ scenario: 'scale', agents, tasks, frameworks: 10, seed: 1 })
const startMs = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
global.gc?.()
const after = process.memoryUsage()
console.log(`agents=${agents} tasks=${tasks} active=${sim.activeTasks().length}`)
// CPU time too: on a shared machine the wall time is mostly waiting for a core
console.log(`start: ${(startMs / 1000).toFixed(2)} s (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, of it system ${(cpu.system / 1e6).toFixed(2)} s; load ${loadavg()[0]!.toFixed(1)})`)
console.log(`rss: ${mb(after.rss)} (before ${mb(before.rss)}), heapUsed: ${mb(after.heapUsed)}, ${((after.heapUsed - before.heapUsed) / tasks).toFixed(0)} B a task`)
const base = sim.leader!.url
const one = `task-${String(Math.floor(tasks / 2)).padStart(6, '0')}`
const agentId = sim.agents[0]!.id
for (const path of ['/master/state', '/master/state-summary', '/master/tasks?limit=-1', '/master/tasks', '/master/frameworks', '/master/slaves', `/master/tasks?task_id=${one}`, `/master/slaves?slave_id=${agentId}`]) {
  const r = await timedGet(`${base}${path}`)
  console.log(`GET ${path}: ${r.status} ${(r.bytes / 1048576).toFixed(1)} MiB in ${r.ms.toFixed(0)} ms`)
}
const agent = sim.agents[0]!
const r = await timedGet(`${agent.url}/state`)
console.log(`GET agent /state: ${r.status} ${(r.bytes / 1024).toFixed(0)} KiB in ${r.ms.toFixed(0)} ms`)
console.log(`peak rss: ${mb(process.memoryUsage().rss)}`)
const s0 = performance.now()
await sim.stop()
console.log(`stop: ${((performance.now() - s0) / 1000).toFixed(2)} s`)
