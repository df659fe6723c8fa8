/**
 * Start-up cost: `mesos --version`, `mesos resolve HOST:PORT`, `mesos ls`, `mesos tail -n 10` and a
 * task-ID completion against the simulator, each next to `node -e 0` measured in the same run
 * (interleaved, medians of N runs).
 * Run: npx tsx bench/startup.ts [runs]   (prints a Markdown table)
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator } from '../src/sim/index.js'
import { BIN, ROOT, median, timed } from './lib.js'

const runs = Number(process.argv[2] ?? 21)
const scenario = { name: 'startup', agents: 1, frameworks: [{ name: 'b', tasks: [{ id: 'bench.1', agent: 0 }] }] }
const sim = await startSimulator({ scenario, logIntervalMs: 0, liveEvents: false, eagerSandboxes: true, rateLimit: false })
const home = mkdtempSync(join(tmpdir(), 'mesos-bench-startup-'))
writeFileSync(sim.sandboxPath('bench.1', 'stdout'), 'line\n'.repeat(1000))
const env = {
  ...process.env,
  HOME: home,
  MESOS_MASTER: sim.leader!.address,
  MESOS_CLI_CACHE_DIR: join(home, 'cache'),
  NO_COLOR: '1',
}
const cases: [string, string[]][] = [
  ['node -e 0', ['-e', '0']],
  ['mesos --version', [BIN, '--version']],
  [`mesos resolve HOST:PORT`, [BIN, 'resolve', sim.leader!.address]],
  ['mesos ls TASK (warm cache)', [BIN, 'ls', 'bench.1']],
  ['mesos tail -n 10 TASK (warm cache)', [BIN, 'tail', '-n', '10', 'bench.1']],
]
if (existsSync(join(ROOT, 'dist', 'commands', '__complete.js')) || existsSync(join(ROOT, 'dist', 'core', 'completion'))) {
  cases.push(['mesos __complete tail ben (warm cache)', [BIN, '__complete', 'tail', 'ben']])
}
const times = new Map<string, number[]>(cases.map(([n]) => [n, []]))
try {
  for (const [, args] of cases) await timed(process.execPath, args, env) // warm caches (disk and ours)
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of cases) times.get(name)!.push((await timed(process.execPath, args, env)).ms)
  }
} finally {
  await sim.stop()
  rmSync(home, { recursive: true, force: true })
}
const base = median(times.get('node -e 0')!)
console.log(`| command | median | vs node -e 0 |\n|---|---|---|`)
for (const [name] of cases) {
  const m = median(times.get(name)!)
  console.log(`| ${name} | ${m.toFixed(0)} ms | ${(m / base).toFixed(2)}× |`)
}
