/**
 * `mesos download` of a 512 MB sandbox (8 files of 64 MB in two directories) against `curl` of
 * the same /files/download URLs into files, one curl process for all of them (same run, same disk).
 * Run: npx tsx bench/download.ts   (prints a Markdown table)
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator } from '../src/sim/index.js'
import { BIN, haveCommand, repeat, timed } from './lib.js'

const FILES = 8
const MB = 64

function writeFile(path: string, mb: number): void {
  const fd = openSync(path, 'w')
  const line = Buffer.from(`${'d'.repeat(99)}\n`)
  const block = Buffer.concat(Array.from({ length: 10_486 }, () => line))
  for (let i = 0; i < mb; i++) writeSync(fd, block)
  closeSync(fd)
}

const scenario = { name: 'bench', agents: 1, frameworks: [{ name: 'b', tasks: [{ id: 'bench.1', agent: 0 }] }] }
const sim = await startSimulator({ scenario, logIntervalMs: 0, liveEvents: false, eagerSandboxes: true, rateLimit: false })
const home = mkdtempSync(join(tmpdir(), 'mesos-bench-dl-'))
const env = { ...process.env, HOME: home, MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: join(home, 'cache'), NO_COLOR: '1' }
const rows: string[] = []
try {
  const names: string[] = []
  for (const dir of ['logs', 'data']) {
    mkdirSync(sim.sandboxPath('bench.1', dir), { recursive: true })
    for (let i = 0; i < FILES / 2; i++) {
      const name = `${dir}/part-${i}.log`
      writeFile(sim.sandboxPath('bench.1', name), MB)
      names.push(name)
    }
  }
  const total = (FILES * MB * 1_048_600) / 1e6
  const out = join(home, 'out')
  await timed(process.execPath, [BIN, 'ls', 'bench.1'], env) // warm the index cache
  const mesosMs = await repeat(3, async () => {
    rmSync(out, { recursive: true, force: true })
    return (await timed(process.execPath, [BIN, 'download', '-q', 'bench.1', '-o', out], env)).ms
  })
  rows.push(`| download 8 × 64 MB: mesos | ${mesosMs.toFixed(0)} ms | ${(total / (mesosMs / 1000)).toFixed(0)} MB/s | |`)
  const haveCurl = haveCommand('curl')
  if (haveCurl) {
    const base = `/frameworks/${sim.task('bench.1').frameworkId}/executors/bench.1/runs/latest`
    const curlOut = join(home, 'curl')
    const args = names.flatMap((n) => ['-o', join(curlOut, n.replace('/', '-')), `${sim.agents[0]!.url}/files/download?path=${encodeURIComponent(`${base}/${n}`)}`])
    const curlMs = await repeat(3, async () => {
      rmSync(curlOut, { recursive: true, force: true })
      mkdirSync(curlOut)
      return (await timed('curl', ['-s', ...args], env)).ms
    })
    rows.push(`| download 8 × 64 MB: one curl, files one after another | ${curlMs.toFixed(0)} ms | ${(total / (curlMs / 1000)).toFixed(0)} MB/s | mesos/curl throughput ${(curlMs / mesosMs).toFixed(2)}× (target ≥ 0.7×) |`)
  }
  const resumeMs = (await timed(process.execPath, [BIN, 'download', '-q', 'bench.1', '-o', out], env)).ms
  rows.push(`| download again, everything up to date | ${resumeMs.toFixed(0)} ms | | size + mtime check, no transfer |`)
} finally {
  await sim.stop()
  rmSync(home, { recursive: true, force: true })
}
console.log('| benchmark | time (median of 3) | throughput | note |\n|---|---|---|---|')
console.log(rows.join('\n'))
