/**
 * Warm TAB on a completion entry of N task IDs (default 1,000,000), written directly as a command
 * that scanned such a cluster would leave it, so no simulator of that size is needed: `__complete
 * tail PREFIX` for a 3-character prefix (grouped answer), a narrow prefix (10 IDs) and a command
 * name, interleaved with `node -e 0`, medians compared.
 * Run: npm run build && npx tsx bench/complete-entry.ts [ids] [runs]   (prints a Markdown table)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { CompletionCache } from '../src/core/completion/cache.js'
import { BIN, median, timed } from './lib.js'

const n = Number(process.argv[2] ?? process.env.BENCH_TASKS ?? 1_000_000)
const runs = Number(process.argv[3] ?? 11)
const home = mkdtempSync(join(tmpdir(), 'mesos-bench-entry-'))
const master = '127.0.0.1:9' // never asked: the entry is fresh
try {
  writeFileSync(join(home, '.mesos.json'), JSON.stringify({ default: { master, cache_ttl: 3600 } }))
  const dir = join(home, 'cache')
  const width = Math.max(6, String(n - 1).length)
  const all = Array.from({ length: n }, (_, i) => `task-${String(i).padStart(width, '0')}`)
  await new CompletionCache(dir, 3600, master, 'http').writeIds({ all, active: all.slice(Math.floor(n / 10)) }, [], Date.now())
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, MESOS_CLI_CACHE_DIR: dir, NO_COLOR: '1', MESOS_CLI_TAB_DEADLINE_MS: '60000' }
  for (const k of ['MESOS_MASTER', 'MESOS_CLI_CONFIG', 'MESOS_CLI_PROFILE']) delete env[k]
  const narrow = all.at(-1)!.slice(0, -1)
  const cases: [string, string[]][] = [
    ['`node -e 0`', []],
    ['`__complete tail tas`', ['tail', 'tas']],
    [`\`__complete tail ${narrow}\``, ['tail', narrow]],
    ['`__complete ta` (no cache read)', ['ta']],
  ]
  const ms = cases.map((): number[] => [])
  const bytes = cases.map(() => 0)
  for (let r = 0; r < runs; r++)
    for (const [i, [, words]] of cases.entries()) {
      const t = await timed(process.execPath, words.length ? [BIN, '__complete', ...words] : ['-e', '0'], env)
      ms[i]!.push(t.ms)
      bytes[i] = t.bytes
    }
  const base = median(ms[0]!)
  console.log(`${n.toLocaleString('en')} task IDs in the completion entry, medians of ${runs} interleaved runs, load average ${loadavg()[0]!.toFixed(1)}\n`)
  console.log('| measurement | time | ratio | bytes out |\n|---|---|---|---|')
  for (const [i, [name]] of cases.entries())
    console.log(`| ${name} | ${median(ms[i]!).toFixed(0)} ms | ${(median(ms[i]!) / base).toFixed(2)}× | ${i === 0 ? '' : bytes[i]} |`)
} finally {
  rmSync(home, { recursive: true, force: true })
}
