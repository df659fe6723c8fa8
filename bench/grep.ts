/**
 * `mesos grep` over 8 tasks × 64 MB (stdout) against `curl URL | grep` for each file, one after
 * another, as a shell loop would do it; both print the same matching lines. Three searches: a plain
 * string, a regex with -n, and -c -v; then the plain string again with every agent request answered
 * after BENCH_AGENT_LATENCY_MS (default 50; 0 leaves it out), as agents in another rack or zone are.
 * BENCH_OTHER_BIN=path/to/bin/run.js adds rows for another build
 * (an earlier commit), interleaved in the same run.
 * Run: npx tsx bench/grep.ts   (prints a Markdown table)
 */
import { spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator } from '../src/sim/index.js'
import { shellJoin } from '../src/core/ssh/quote.js'
import { BIN, haveCommand, timed } from './lib.js'

const TASKS = 8
const MB = Number(process.env.BENCH_MB ?? 64)

/** 100-byte lines; one in 10,000 says ERROR. */
function writeLog(path: string, mb: number): void {
  const fd = openSync(path, 'w')
  const lines: string[] = []
  for (let i = 0; i < 10_486; i++) lines.push(i % 10_000 === 5 ? `${'e'.repeat(60)} ERROR checkpoint failed ${'e'.repeat(14)}` : 'i'.repeat(99))
  const block = Buffer.from(`${lines.join('\n')}\n`)
  for (let i = 0; i < mb; i++) writeSync(fd, block)
  closeSync(fd)
}

/** stdout of a command, without blocking this process (it serves the simulator). */
function capture(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.on('error', reject)
    child.on('close', () => resolve(out))
  })
}

const scenario = {
  name: 'bench',
  agents: 2,
  frameworks: [{ name: 'b', tasks: Array.from({ length: TASKS }, (_, i) => ({ id: `tm-${i}`, agent: i % 2 })) }],
}
const sim = await startSimulator({ scenario, logIntervalMs: 0, liveEvents: false, eagerSandboxes: true, rateLimit: false })
const home = mkdtempSync(join(tmpdir(), 'mesos-bench-grep-'))
const env = { ...process.env, HOME: home, MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: join(home, 'cache'), NO_COLOR: '1' }
const rows: string[] = []
const loadBefore = loadavg()[0]!.toFixed(1)
try {
  for (let i = 0; i < TASKS; i++) writeLog(sim.sandboxPath(`tm-${i}`, 'stdout'), MB)
  const count = (out: string) => out.split('\n').filter(Boolean).length
  await timed(process.execPath, [BIN, 'ls', 'tm-0'], env) // warm the index cache
  const total = (TASKS * MB * 1_048_600) / 1e6
  const urls = Array.from({ length: TASKS }, (_, i) => {
    const t = sim.task(`tm-${i}`)
    return `${sim.agents[i % 2]!.url}/files/download?path=${encodeURIComponent(`/frameworks/${t.frameworkId}/executors/tm-${i}/runs/latest/stdout`)}`
  })
  const other = process.env.BENCH_OTHER_BIN
  const haveCurl = haveCommand('curl')
  const compare = async (flags: string[], where = '') => {
    const shown = flags.map((f) => (f.includes(' ') ? `"${f}"` : f)).join(' ') + where
    const args = (bin: string) => [bin, 'grep', ...flags, 'tm-', 'stdout']
    const mesosOut = await capture(process.execPath, args(BIN), env)
    const bins = other ? [BIN, other] : [BIN]
    const script = urls.map((u) => `curl -s ${shellJoin([u])} | grep ${shellJoin(flags)}`).join('\n')
    const runs = new Map<string, number[]>()
    // the simulator serves in this process: its CPU per run says what serving cost each side
    const simCpu = new Map<string, number>()
    const sides = [...bins, ...(haveCurl ? ['curl'] : [])]
    // interleaved, each side first once, so each sees the same load
    for (let k = 0; k < 3; k++) {
      for (const side of [...sides.slice(k % sides.length), ...sides.slice(0, k % sides.length)]) {
        const cpu = process.cpuUsage()
        const ms = side === 'curl' ? (await timed('sh', ['-c', script], env)).ms : (await timed(process.execPath, args(side), env)).ms
        const used = process.cpuUsage(cpu)
        simCpu.set(side, (simCpu.get(side) ?? 0) + (used.user + used.system) / 3000)
        runs.set(side, [...(runs.get(side) ?? []), ms])
      }
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[1]!
    const shellMs = haveCurl ? median(runs.get('curl')!) : undefined
    const vs = (ms: number) => (shellMs ? `; ${(shellMs / ms).toFixed(2)}× as fast as curl \\| grep` : '')
    const mesosMs = median(runs.get(BIN)!)
    const served = (side: string) => `; simulator CPU ${simCpu.get(side)!.toFixed(0)} ms per run`
    rows.push(`| grep ${shown}: mesos grep | ${mesosMs.toFixed(0)} ms | ${(total / (mesosMs / 1000)).toFixed(0)} MB/s | ${count(mesosOut)} lines${vs(mesosMs)}${served(BIN)} |`)
    if (other) {
      const otherMs = median(runs.get(other)!)
      rows.push(`| grep ${shown}: mesos grep, BENCH_OTHER_BIN | ${otherMs.toFixed(0)} ms | ${(total / (otherMs / 1000)).toFixed(0)} MB/s | ${vs(otherMs).slice(2)} |`)
    }
    if (shellMs) {
      const shellOut = await capture('sh', ['-c', script], env)
      rows.push(`| grep ${shown}: curl \\| grep, one file after another | ${shellMs.toFixed(0)} ms | ${(total / (shellMs / 1000)).toFixed(0)} MB/s | ${count(shellOut)} lines${served('curl')} |`)
    }
  }
  // on loopback, every byte costs both sides the same CPU of this 2-core machine
  for (const flags of [['ERROR'], ['-n', '-E', 'ERROR .*failed'], ['-c', '-v', 'iiii']]) await compare(flags)
  // agents some way off (another rack or zone): each request waits before its first byte
  const latency = Number(process.env.BENCH_AGENT_LATENCY_MS ?? 50)
  if (latency > 0) {
    for (const a of sim.agents) sim.slowAgent(a.id, latency)
    await compare(['ERROR'], ` (agents ${latency} ms away)`)
    for (const a of sim.agents) sim.slowAgent(a.id, 0)
  }
} finally {
  await sim.stop()
  rmSync(home, { recursive: true, force: true })
}
console.log(`${TASKS} tasks × ${MB} MB; load average before and after: ${loadBefore} / ${loadavg()[0]!.toFixed(1)}\n`)
console.log('| benchmark | time (median of 3) | throughput | note |\n|---|---|---|---|')
console.log(rows.join('\n'))
