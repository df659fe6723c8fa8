/**
 * Sandbox benchmarks against the simulator:
 * - `mesos cat` of a 512 MB sandbox file vs `curl` of the same /files/download URL (same run);
 * - HTTP requests made by `mesos tail -n 10` on files of 1 MB, 100 MB and 1 GB (counted at the
 *   simulator's agent).
 * Run: npx tsx bench/sandbox.ts   (prints a Markdown table)
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator } from '../src/sim/index.js'
import { BIN, haveCommand, repeat, timed } from './lib.js'

function writeFile(path: string, mb: number): void {
  const fd = openSync(path, 'w')
  const line = Buffer.from(`${'x'.repeat(99)}\n`)
  const block = Buffer.concat(Array.from({ length: 10_486 }, () => line)) // ~1 MiB of 100-byte lines
  for (let i = 0; i < mb; i++) writeSync(fd, block)
  closeSync(fd)
}

const scenario = { name: 'bench', agents: 1, frameworks: [{ name: 'b', tasks: [{ id: 'bench.1', agent: 0 }] }] }
const sim = await startSimulator({ scenario, logIntervalMs: 0, liveEvents: false, eagerSandboxes: true, rateLimit: false })
const home = mkdtempSync(join(tmpdir(), 'mesos-bench-'))
const env = { ...process.env, HOME: home, MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: join(home, 'cache'), NO_COLOR: '1' }
const rows: string[] = []
try {
  const big = sim.sandboxPath('bench.1', 'big.log')
  writeFile(big, 512)
  const virtual = `/frameworks/${sim.task('bench.1').frameworkId}/executors/bench.1/runs/latest/big.log`
  const url = `${sim.agents[0]!.url}/files/download?path=${encodeURIComponent(virtual)}`
  const haveCurl = haveCommand('curl')
  await timed(process.execPath, [BIN, 'cat', 'bench.1', 'big.log'], env) // warm the index cache
  const mesosMs = await repeat(3, async () => (await timed(process.execPath, [BIN, 'cat', 'bench.1', 'big.log'], env)).ms)
  const mb = 512 * 1_048_600 / 1e6
  rows.push(`| cat 512 MB: mesos | ${mesosMs.toFixed(0)} ms | ${(mb / (mesosMs / 1000)).toFixed(0)} MB/s | |`)
  if (haveCurl) {
    const curlMs = await repeat(3, async () => (await timed('curl', ['-s', url], env)).ms)
    rows.push(`| cat 512 MB: curl /files/download | ${curlMs.toFixed(0)} ms | ${(mb / (curlMs / 1000)).toFixed(0)} MB/s | mesos/curl throughput ${(curlMs / mesosMs).toFixed(2)}x |`)
  }
  rmSync(big)

  for (const size of [1, 100, 1024]) {
    const name = `f${size}.log`
    writeFile(sim.sandboxPath('bench.1', name), size)
    await timed(process.execPath, [BIN, 'tail', 'bench.1', name], env)
    sim.resetRequests()
    const r = await timed(process.execPath, [BIN, 'tail', 'bench.1', name], env)
    const agentReqs = sim.requestCount({ server: 'agents' })
    const masterReqs = sim.requestCount({ server: 'masters' })
    rows.push(`| tail -n 10, ${size} MB file | ${r.ms.toFixed(0)} ms | ${agentReqs} agent + ${masterReqs} master requests | warm task cache |`)
    rmSync(sim.sandboxPath('bench.1', name))
  }
} finally {
  await sim.stop()
  rmSync(home, { recursive: true, force: true })
}
console.log('| benchmark | time (median of 3 for cat) | result | note |\n|---|---|---|---|')
console.log(rows.join('\n'))
