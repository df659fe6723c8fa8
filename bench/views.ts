/**
 * Cluster views on the simulator's scale scenario (1,000 agents, 100,000 tasks): `mesos ps --json`
 * and `mesos agents --json` wall time, peak memory and requests made, next to fetching the same
 * data with curl in the same run (master state + every agent's statistics, 16 in parallel).
 * Run: npx tsx bench/views.ts [agents] [tasks]   (or BENCH_AGENTS / BENCH_TASKS; prints a Markdown table)
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator } from '../src/sim/index.js'
import { BIN } from './lib.js'

const agents = Number(process.argv[2] ?? process.env.BENCH_AGENTS ?? 1000)
const tasks = Number(process.argv[3] ?? process.env.BENCH_TASKS ?? 100_000)

/** Runs a command under /usr/bin/time -v: wall ms and peak RSS in MiB. */
function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; peakMiB: number; code: number | null }> {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn('/usr/bin/time', ['-v', cmd, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    child.stderr.on('data', (c) => {
      err += c
    })
    child.on('close', (code) => {
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? 0)
      resolve({ ms: Date.now() - started, peakMiB: kb / 1024, code })
    })
  })
}

const sim = await startSimulator({ scenario: 'scale', agents, tasks, frameworks: 10, logIntervalMs: 0, liveEvents: false })
const home = mkdtempSync(join(tmpdir(), 'mesos-bench-views-'))
const env = { ...process.env, HOME: home, MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: join(home, 'cache'), NO_COLOR: '1' }
const rows: string[] = []
try {
  const row = (name: string, r: { ms: number; peakMiB: number }, reqs: string, note = '') =>
    rows.push(`| ${name} | ${(r.ms / 1000).toFixed(2)} s | ${r.peakMiB.toFixed(0)} MiB | ${reqs} | ${note} |`)
  const counted = async (name: string, args: string[], note = '') => {
    rmSync(join(home, 'cache'), { recursive: true, force: true })
    sim.resetRequests()
    const r = await measure(process.execPath, [BIN, ...args], env)
    row(name, r, `${sim.requestCount({ server: 'masters' })} master + ${sim.requestCount({ server: 'agents' })} agent`, r.code === 0 ? note : `**exit ${r.code}** ${note}`)
  }
  // a long --timeout: the simulator (like a master) takes seconds to build the state of 100,000 tasks
  await counted('mesos ps --json (cold cache)', ['ps', '--json', '--timeout', '300'])
  await counted('mesos agents --json', ['agents', '--json', '--timeout', '300'])

  // the same data with curl: master state, then every agent's statistics, 16 at a time
  const urls = sim.agents.map((a) => `${a.url}/slave(1)/monitor/statistics`)
  const list = join(home, 'urls')
  writeFileSync(list, urls.join('\n'))
  const script = `curl -s -o /dev/null ${sim.leader!.url}/master/state && xargs -P16 -n1 curl -s -o /dev/null < ${list}`
  sim.resetRequests()
  const c = await measure('bash', ['-c', script], env)
  row('curl: /master/state + statistics of every agent (16 parallel)', c, `${sim.requestCount({ server: 'masters' })} master + ${sim.requestCount({ server: 'agents' })} agent`, 'peak RSS of the largest single process')
  const s = await measure('curl', ['-s', '-o', '/dev/null', `${sim.leader!.url}/master/state-summary`], env)
  row('curl: /master/state-summary', s, '1 master')
} finally {
  await sim.stop()
  rmSync(home, { recursive: true, force: true })
}
try {
  execFileSync('true')
} catch {
  // nothing
}
console.log(`${agents} agents, ${tasks} tasks\n`)
console.log('| command | wall | peak RSS | requests | note |\n|---|---|---|---|---|')
console.log(rows.join('\n'))
