/**
 * `mesos grep` over 8 tasks × 64 MB (stdout) against `curl URL | grep` for each file, one after
 * another, as a shell loop would do it; both count the same matching lines.
 * Run: npx tsx bench/grep.ts   (prints a Markdown table)
 */
import { spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator } from '../src/sim/index.js'
import { shellJoin } from '../src/core/ssh/quote.js'
import { BIN, haveCommand, repeat, timed } from './lib.js'

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
try {
  for (let i = 0; i < TASKS; i++) writeLog(sim.sandboxPath(`tm-${i}`, 'stdout'), MB)
  const count = (out: string) => out.split('\n').filter(Boolean).length
  await timed(process.execPath, [BIN, 'ls', 'tm-0'], env) // warm the index cache
  const mesosOut = await capture(process.execPath, [BIN, 'grep', 'ERROR', 'tm-', 'stdout'], env)
  const mesosMs = await repeat(3, async () => (await timed(process.execPath, [BIN, 'grep', 'ERROR', 'tm-', 'stdout'], env)).ms)
  const total = (TASKS * MB * 1_048_600) / 1e6
  rows.push(`| grep ${TASKS} tasks × ${MB} MB: mesos grep | ${mesosMs.toFixed(0)} ms | ${(total / (mesosMs / 1000)).toFixed(0)} MB/s | ${count(mesosOut)} lines |`)
  const haveCurl = haveCommand('curl')
  if (haveCurl) {
    const script = Array.from({ length: TASKS }, (_, i) => {
      const t = sim.task(`tm-${i}`)
      const agent = sim.agents[i % 2]!
      const url = `${agent.url}/files/download?path=${encodeURIComponent(`/frameworks/${t.frameworkId}/executors/tm-${i}/runs/latest/stdout`)}`
      return `curl -s ${shellJoin([url])} | grep ERROR`
    }).join('\n')
    const shellOut = await capture('sh', ['-c', script], env)
    const shellMs = await repeat(3, async () => (await timed('sh', ['-c', script], env)).ms)
    rows.push(`| grep ${TASKS} tasks × ${MB} MB: curl \\| grep, one file after another | ${shellMs.toFixed(0)} ms | ${(total / (shellMs / 1000)).toFixed(0)} MB/s | ${count(shellOut)} lines; mesos ${(shellMs / mesosMs).toFixed(2)}× as fast |`)
  }
} finally {
  await sim.stop()
  rmSync(home, { recursive: true, force: true })
}
console.log('| benchmark | time (median of 3) | throughput | note |\n|---|---|---|---|')
console.log(rows.join('\n'))
