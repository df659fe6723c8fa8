/**
 * TAB latency on a big cluster: `mesos __complete tail PREFIX` on the scale scenario with a warm
 * cache, next to `node -e 0` in the same run.
 * Run: npm run build && npx tsx bench/complete.ts [runs] [tasks] [agents]   (prints a Markdown table)
 * (or BENCH_TASKS / BENCH_AGENTS; default 100,000 tasks on 1,000 agents)
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { BIN, median, timed } from './lib.js'

const runs = Number(process.argv[2] ?? 21)
const tasks = Number(process.argv[3] ?? process.env.BENCH_TASKS ?? 100_000)
const agents = Number(process.argv[4] ?? process.env.BENCH_AGENTS ?? Math.max(1, Math.min(1000, Math.round(tasks / 100))))
const last = `task-${String(tasks - 1).padStart(6, '0')}`
const narrow = last.slice(0, -1) // ten IDs
const t0 = Date.now()
// the simulator in its own process (`mesos sim up`), so that serving a 66 MB /master/state does not
// stall this process's clock
const simProc = spawn(process.execPath, [BIN, 'sim', 'up', '--scenario', 'scale', '--agents', String(agents), '--tasks', String(tasks), '--port', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
})
const masterSpec = await new Promise<string>((resolve, reject) => {
  let out = ''
  simProc.stdout.on('data', (c: Buffer) => {
    out += c.toString()
    const m = /^leader: (\S+)$/m.exec(out)
    if (m) resolve(m[1]!)
  })
  simProc.on('exit', (code) => reject(new Error(`mesos sim up exited with ${code}`)))
})
const started = Date.now() - t0
const home = mkdtempSync(join(tmpdir(), 'mesos-bench-complete-'))
const cache = join(home, 'cache')
// a long cache_ttl, so that every measured TAB finds the cache warm
writeFileSync(join(home, '.mesos.json'), JSON.stringify({ default: { master: masterSpec, cache_ttl: 3600 } }))
const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, MESOS_CLI_CACHE_DIR: cache, NO_COLOR: '1' }
delete env.MESOS_MASTER
delete env.MESOS_CLI_CONFIG
delete env.MESOS_CLI_PROFILE
const node = process.execPath
const complete = (...words: string[]) => timed(node, [BIN, '__complete', ...words], env)
// warm TABs are measured without the TAB deadline: on a loaded machine it cuts them short (empty answers)
const warmEnv = { ...env, MESOS_CLI_TAB_DEADLINE_MS: '60000' }
const warm = (...words: string[]) => timed(node, [BIN, '__complete', ...words], warmEnv)
const cacheBytes = () => readdirSync(cache).map((f) => [f, statSync(join(cache, f)).size] as const)

const rows: string[] = []
const row = (what: string, ms: number, note = '') => rows.push(`| ${what} | ${ms.toFixed(0)} ms | ${note} |`)
try {
  const cold = await complete('tail', 'task')
  row(`cold TAB, empty cache (${tasks.toLocaleString('en')} tasks)`, cold.ms, `${cold.bytes} bytes out: the deadline answered; a detached refresh goes on`)
  const refreshStart = Date.now()
  let second = await complete('tail', 'task')
  // up to the refresh's own limit (REFRESH_MAX_MS) and a little more
  while (second.bytes < 100 && Date.now() - refreshStart < 130_000) {
    await new Promise((r) => setTimeout(r, 250))
    second = await complete('tail', 'task')
  }
  row('until a TAB finds the refreshed cache', Date.now() - refreshStart + cold.ms, second.bytes < 100 ? '**not filled**: the detached refresh did not finish' : `then ${second.bytes} bytes out`)
  // the cache expires (cache_ttl 1) and the cluster takes seconds to refresh it: the TAB offers the
  // expired IDs at once while a detached refresh runs
  writeFileSync(join(home, '.mesos.json'), JSON.stringify({ default: { master: masterSpec, cache_ttl: 1 } }))
  await new Promise((r) => setTimeout(r, 1500))
  const expired = await complete('tail', narrow)
  writeFileSync(join(home, '.mesos.json'), JSON.stringify({ default: { master: masterSpec, cache_ttl: 3600 } }))
  await new Promise((r) => setTimeout(r, 8000)) // let that refresh end
  rmSync(cache, { recursive: true, force: true })
  // a fragment reads the whole state (an exact ID would not fill the cache)
  const warmUp = await timed(node, [BIN, 'ls', '--timeout', '600', narrow], env)
  row(`\`mesos ls ${narrow}\` (a fragment: fills the caches; cache emptied before)`, warmUp.ms, `exit ${warmUp.code}`)
  const derive = await warm('tail', 'task')
  row('first TAB after it (derives the completion entry from the task index)', derive.ms, `${derive.bytes} bytes out`)
  const sizes = cacheBytes()
    .map(([, size]) => size)
    .sort((a, b) => b - a)
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`

  const samples: Record<string, number[]> = { node: [], all: [], one: [], cmd: [] }
  let bytes = 0
  for (let i = 0; i < runs; i++) {
    samples.node!.push((await timed(node, ['-e', '0'], env)).ms)
    const all = await warm('tail', 'tas')
    bytes = all.bytes
    samples.all!.push(all.ms)
    samples.one!.push((await warm('tail', narrow)).ms)
    samples.cmd!.push((await warm('ta')).ms)
  }
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<string, number>
  row('`node -e 0`', m.node!, 'baseline, same run')
  row('warm TAB: `mesos __complete tail tas`', m.all!, `${bytes} bytes out (every active task matches: groups); **${(m.all! / m.node!).toFixed(2)}× node -e 0**`)
  row(`warm TAB: \`mesos __complete tail ${narrow}\``, m.one!, `10 candidates; ${(m.one! / m.node!).toFixed(2)}× node -e 0`)
  row('TAB on a command name: `mesos __complete ta`', m.cmd!, `no cache read; ${(m.cmd! / m.node!).toFixed(2)}× node -e 0`)
  row('TAB with an expired cache (`cache_ttl: 1`)', expired.ms, `${expired.bytes} bytes out: expired IDs at once, the refresh runs detached`)
  console.log(`scale scenario: ${agents.toLocaleString('en')} agents, ${tasks.toLocaleString('en')} tasks, load average ${loadavg()[0]!.toFixed(1)}, simulator started in ${(started / 1000).toFixed(1)} s; medians of ${runs} runs`)
  console.log(`cache entries: ${sizes.map(mb).join(', ')} (task index, completion entry, leader)\n`)
  console.log('| measurement | time | note |\n|---|---|---|')
  console.log(rows.join('\n'))
} finally {
  simProc.kill('SIGINT')
  rmSync(home, { recursive: true, force: true })
}
