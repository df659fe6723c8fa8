/**
 * Big clusters (issue 15) on the scale scenario: cold `ls EXACT_ID` and `ls FRAGMENT`, warm TAB on a
 * 3-character prefix, and `tail -f FRAGMENT` (idle master requests, time to pick up a new task),
 * each next to its baseline measured in this run (`node -e 0`, curl fetching `/master/state`).
 * Run: npx tsx bench/big.ts [agents] [tasks] [parts]   (prints a Markdown table)
 * (or BENCH_AGENTS / BENCH_TASKS / BENCH_PARTS; parts: a comma list of exact,fragment,tab,tail; all by default)
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator } from '../src/sim/index.js'
import { BIN, median } from './lib.js'

const agents = Number(process.argv[2] ?? process.env.BENCH_AGENTS ?? 1000)
const tasks = Number(process.argv[3] ?? process.env.BENCH_TASKS ?? 100_000)
const parts = new Set((process.argv[4] ?? process.env.BENCH_PARTS ?? 'exact,fragment,tab,tail').split(','))

class Done extends Error {}

interface Run {
  ms: number
  peakMiB: number
  /** User and system CPU time of the process. */
  cpuMs: number
  out: string
}

function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now()
    const child = spawn('/usr/bin/time', ['-v', cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    let out = ''
    child.stdout.on('data', (c) => (out += c))
    child.stderr.on('data', (c) => (err += c))
    child.on('close', (code) => {
      if (code !== 0 && cmd !== 'curl') process.stderr.write(`${args.join(' ')}: exit ${code}\n${err.split('\n\tCommand being timed')[0]}\n`)
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? 0)
      const secs = (what: string) => Number(new RegExp(`${what} time \\(seconds\\): ([\\d.]+)`).exec(err)?.[1] ?? 0)
      resolve({ ms: performance.now() - started, peakMiB: kb / 1024, cpuMs: (secs('User') + secs('System')) * 1000, out })
    })
  })
}

const sim = await startSimulator({ scenario: 'scale', agents, tasks, frameworks: 10, logIntervalMs: 0, liveEvents: false })
const home = mkdtempSync(join(tmpdir(), 'mesos-bench-big-'))
const cache = join(home, 'cache')
const env = { ...process.env, HOME: home, MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: cache, NO_COLOR: '1' }
const last = `task-${String(tasks - 1).padStart(6, '0')}`
const fragment = last.slice(0, -1)
const rows: string[] = []
const row = (...cells: string[]) => rows.push(`| ${cells.join(' | ')} |`)
/** curl and cold-fragment pairs: the machine's noise moves single pairs by ±20%, so more where they are quick. */
const PAIRS = tasks <= 200_000 ? 9 : 5
const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`

async function runs(n: number, fn: () => Promise<Run & { masters?: number }>) {
  const rs: (Run & { masters?: number })[] = []
  for (let i = 0; i < n; i++) rs.push(await fn())
  return { ms: median(rs.map((r) => r.ms)), peakMiB: Math.max(...rs.map((r) => r.peakMiB)), cpuMs: median(rs.map((r) => r.cpuMs)), masters: Math.max(...rs.map((r) => r.masters ?? 0)), out: rs[0]!.out }
}
const cold = (args: string[]) => async () => {
  rmSync(cache, { recursive: true, force: true })
  sim.resetRequests()
  const r = await measure(process.execPath, [BIN, ...args], env)
  return { ...r, masters: sim.requestCount({ server: 'masters' }) }
}

try {
  const node = await runs(11, () => measure(process.execPath, ['-e', '0'], env))
  row('`node -e 0`', `${node.ms.toFixed(0)} ms`, '1.00×', `${node.peakMiB.toFixed(0)} MiB`, '', 'baseline')
  // a long --timeout: on a loaded machine the in-process simulator takes a while to serialize its state
  if (parts.has('exact')) {
    const exact = await runs(5, cold(['ls', '--timeout', '300', last]))
    row(`cold \`ls ${last}\` (exact ID)`, `${exact.ms.toFixed(0)} ms`, `${x(exact.ms, node.ms)} node`, `${exact.peakMiB.toFixed(0)} MiB`, `${exact.masters} master`, 'median of 5, cache emptied before each')
  }
  // curl and the cold fragment in turns (the in-process simulator's serialization speed drifts as it
  // warms up and as the machine's load changes); the fragment leaves the caches the TAB reads
  const fragmentRun = cold(['ls', '--timeout', '300', fragment])
  if (parts.has('fragment')) {
    const curls: Run[] = []
    const frags: (Run & { masters?: number })[] = []
    for (let i = 0; i < PAIRS; i++) {
      curls.push(await measure('curl', ['-s', '-o', '/dev/null', `${sim.leader!.url}/master/state`], env))
      frags.push(await fragmentRun())
    }
    const curl = median(curls.map((r) => r.ms))
    const frag = median(frags.map((r) => r.ms))
    const ratios = frags.map((f, i) => f.ms / curls[i]!.ms)
    row('curl `/master/state`', `${curl.toFixed(0)} ms`, '1.00×', `${Math.max(...curls.map((r) => r.peakMiB)).toFixed(0)} MiB`, '1 master', `baseline, median of ${PAIRS}`)
    row(
      `cold \`ls ${fragment}\` (fragment)`,
      `${frag.toFixed(0)} ms`,
      `${median(ratios).toFixed(2)}× curl`,
      `${Math.max(...frags.map((r) => r.peakMiB)).toFixed(0)} MiB`,
      `${Math.max(...frags.map((r) => r.masters ?? 0))} master`,
      `median of ${PAIRS}, each run right after a curl and divided by it (ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}); cache emptied before each; CPU (user + system) ${median(frags.map((r) => r.cpuMs)).toFixed(0)} ms`,
    )
  } else if (parts.has('tab')) await fragmentRun()
  if (parts.has('tab')) {
    const prefix = last.slice(0, 3)
    const tab = await runs(11, () => measure(process.execPath, [BIN, '__complete', 'tail', prefix], env))
    const candidates = tab.out.split('\n').filter((l) => l !== '' && !l.startsWith(':')).length
    const node2 = await runs(11, () => measure(process.execPath, ['-e', '0'], env))
    row(`warm TAB \`__complete tail ${prefix}\``, `${tab.ms.toFixed(0)} ms`, `${x(tab.ms, node2.ms)} node`, `${tab.peakMiB.toFixed(0)} MiB`, '0', `${candidates} candidates (${tab.out.length} bytes), median of 11; node -e 0 again: ${node2.ms.toFixed(0)} ms`)
  }
  if (!parts.has('tail')) throw new Done()

  // tail -f FRAGMENT: idle master requests per poll, and how soon a new matching task is followed
  rmSync(cache, { recursive: true, force: true })
  const follow = spawn(process.execPath, [BIN, 'tail', '--timeout', '300', '-f', '-s', '1', '-n', '0', fragment, 'stdout'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  follow.stdout.on('data', (c) => (out += c))
  const until = async (cond: () => boolean, ms: number) => {
    const end = Date.now() + ms
    while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
    return cond()
  }
  // the first round's look at the newest tasks (the start may have read the whole state)
  await until(() => sim.requestCount({ path: '/master/tasks', query: /limit=100/ }) > 0, 120_000)
  sim.resetRequests()
  const idleFrom = Date.now()
  await new Promise((r) => setTimeout(r, 10_000))
  const idle = sim.requestCount({ server: 'masters' })
  const idleStateBytes = sim.requestCount({ path: '/master/state' })
  const idleSec = (Date.now() - idleFrom) / 1000
  const t0 = Date.now()
  const t = sim.launchTask({ id: `${fragment}-late`, logs: [] })
  sim.appendFile(t.id, 'stdout', 'late-line\n')
  const seen = await until(() => out.includes('late-line'), 30_000)
  const pickup = Date.now() - t0
  follow.kill('SIGINT')
  row(`\`tail -f -s 1 ${fragment} stdout\`, idle`, `${idleSec.toFixed(0)} s`, '', '', `${idle} master (${idleStateBytes} of them /master/state)`, `${(idle / idleSec).toFixed(1)} master requests/s`)
  row('… a new matching task starts', seen ? `${pickup} ms` : 'not seen in 30 s', '', '', '', 'until its first line is printed')
} catch (e) {
  if (!(e instanceof Done)) throw e
} finally {
  await sim.stop()
  rmSync(home, { recursive: true, force: true })
}
console.log(`${agents} agents, ${tasks} tasks, load average ${loadavg()[0]!.toFixed(1)} at the end\n`)
console.log('| measurement | time | ratio | peak RSS | requests | note |\n|---|---|---|---|---|---|')
console.log(rows.join('\n'))
