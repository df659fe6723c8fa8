/**
 * Start-up cost of every command that ends on its own, against the simulator with a warm cache,
 * each next to `node -e 0` measured in the same run (interleaved, medians of N runs). Targets:
 * `--version` ≤ 1.2×, every command ≤ 1.6× (help, rendered by oclif, is shown for reference).
 * Left out: the commands that do not end by themselves (`tail -f`, `events`, `sim up`) and those
 * that need an SSH server (`ssh`, `scp`); they take the same path to their first request.
 * Run: npx tsx bench/startup.ts [runs]   (prints a Markdown table)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator } from '../src/sim/index.js'
import { BIN, median, timed } from './lib.js'

const runs = Number(process.argv[2] ?? 21)
const scenario = { name: 'startup', agents: 1, frameworks: [{ name: 'b', tasks: [{ id: 'bench.1', agent: 0 }] }] }
const sim = await startSimulator({ scenario, logIntervalMs: 0, liveEvents: false, eagerSandboxes: true, rateLimit: false })
const home = mkdtempSync(join(tmpdir(), 'mesos-bench-startup-'))
writeFileSync(sim.sandboxPath('bench.1', 'stdout'), 'line\n'.repeat(1000))
// As an operator has it: the master in ~/.mesos.json, read on every run.
writeFileSync(join(home, '.mesos.json'), JSON.stringify({ default: { master: sim.leader!.address } }), { mode: 0o600 })
const env = {
  ...process.env,
  HOME: home,
  MESOS_CLI_CACHE_DIR: join(home, 'cache'),
  NO_COLOR: '1',
}
const cases: [string, string[], number?][] = [
  ['node -e 0', ['-e', '0']],
  ['mesos --version', [BIN, '--version'], 1.2],
  [`mesos resolve HOST:PORT`, [BIN, 'resolve', sim.leader!.address], 1.6],
  ['mesos ls TASK', [BIN, 'ls', 'bench.1'], 1.6],
  ['mesos find TASK', [BIN, 'find', 'bench.1'], 1.6],
  ['mesos cat TASK', [BIN, 'cat', 'bench.1'], 1.6],
  ['mesos head TASK', [BIN, 'head', 'bench.1'], 1.6],
  ['mesos tail -n 10 TASK', [BIN, 'tail', '-n', '10', 'bench.1'], 1.6],
  ['mesos ps', [BIN, 'ps'], 1.6],
  ['mesos frameworks', [BIN, 'frameworks'], 1.6],
  ['mesos agents', [BIN, 'agents'], 1.6],
  ['mesos state', [BIN, 'state'], 1.6],
  ['mesos config', [BIN, 'config'], 1.6],
  ['mesos completion bash', [BIN, 'completion', 'bash'], 1.6],
  ['mesos __complete tail ben', [BIN, '__complete', 'tail', 'ben'], 1.6],
  ['mesos tail -n abc TASK (usage error)', [BIN, 'tail', '-n', 'abc', 'bench.1'], 1.6],
  ['mesos tail --help (oclif renders help)', [BIN, 'tail', '--help']],
]
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
console.log(`| command (warm cache) | median | vs node -e 0 | target | |\n|---|---|---|---|---|`)
for (const [name, , target] of cases) {
  const m = median(times.get(name)!)
  const ratio = m / base
  const verdict = target === undefined ? '' : ratio <= target ? 'met' : 'missed'
  console.log(`| ${name} | ${m.toFixed(0)} ms | ${ratio.toFixed(2)}× | ${target === undefined ? '-' : `≤ ${target}×`} | ${verdict} |`)
}
