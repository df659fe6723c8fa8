/**
 * Reading `/master/state` of the scale scenario: the CLI's byte-level scanner against
 * `@streamparser/json` and `JSON.parse`, each in its own process (MB/s and peak RSS), on the same
 * saved document. Run: npx tsx bench/parse.ts [agents] [tasks]   (prints a Markdown table)
 */
import { spawn } from 'node:child_process'
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { get } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { startSimulator } from '../src/sim/index.js'
import { median, ROOT } from './lib.js'

const agents = Number(process.argv[2] ?? 1000)
const tasks = Number(process.argv[3] ?? 100_000)
const dir = mkdtempSync(join(tmpdir(), 'mesos-bench-parse-'))
const file = join(dir, 'state.json')

const sim = await startSimulator({ scenario: 'scale', agents, tasks, frameworks: 10, logIntervalMs: 0, liveEvents: false })
try {
  await new Promise<void>((resolve, reject) =>
    get(`${sim.leader!.url}/master/state`, (res) => pipeline(res, createWriteStream(file)).then(resolve, reject)).on('error', reject),
  )
} finally {
  await sim.stop()
}
const bytes = statSync(file).size

function run(method: string): Promise<{ ms: number; peakMiB: number; tasks: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-v', process.execPath, '--import', 'tsx', join(ROOT, 'bench', 'parse-one.ts'), method, file], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (c) => (out += c))
    child.stderr.on('data', (c) => (err += c))
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${method}: ${err}`))
      const [ms, n] = out.trim().split(' ').map(Number)
      resolve({ ms: ms!, tasks: n!, peakMiB: Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? 0) / 1024 })
    })
  })
}

const methods = [
  ['scanner', 'byte-level scanner, every task kept (the full index)'],
  ['scanner-filter', 'byte-level scanner, a filter (10 matches) plus every ID for completion'],
  ['streamparser', '@streamparser/json with the index paths (values only, no index built)'],
  ['json', 'JSON.parse of the whole body (no index built)'],
] as const
const rows: string[] = []
for (const [m, note] of methods) {
  const runs: { ms: number; peakMiB: number; tasks: number }[] = []
  for (let i = 0; i < 3; i++) runs.push(await run(m))
  const ms = median(runs.map((r) => r.ms))
  const peak = median(runs.map((r) => r.peakMiB))
  rows.push(`| ${m} | ${ms.toFixed(0)} ms | ${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s | ${peak.toFixed(0)} MiB | ${runs[0]!.tasks} | ${note} |`)
}
rmSync(dir, { recursive: true, force: true })
console.log(`${agents} agents, ${tasks} tasks: /master/state is ${(bytes / 1e6).toFixed(1)} MB; medians of 3 runs, each in its own process\n`)
console.log('| parser | time | throughput | peak RSS | tasks | what |\n|---|---|---|---|---|---|')
console.log(rows.join('\n'))
