/**
 * `npm run bench`: every benchmark, one after the other (each starts its own simulator), with its
 * baseline measured in the same run (`node -e 0`, `curl`), and the results written into
 * bench/README.md between the "latest run" markers, with the machine, Node version and date.
 * Benchmarks never fail on timing; a benchmark that crashes is reported as such.
 */
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './lib.js'

const BENCHES: { file: string; title: string; args?: string[]; code?: boolean }[] = [
  { file: 'startup.ts', title: 'Start-up against `node -e 0` (medians of 21 interleaved runs)' },
  { file: 'sandbox.ts', title: 'Sandbox reading: `cat` against curl, `tail -n 10` requests' },
  { file: 'download.ts', title: 'Download of a 512 MB sandbox against curl of the same files' },
  { file: 'grep.ts', title: '`grep` over 8 tasks × 64 MB against `curl | grep` one file after another' },
  { file: 'views.ts', title: 'Cluster views on the scale scenario (1,000 agents, 100,000 tasks)' },
  { file: 'complete.ts', title: 'TAB completion on the scale scenario' },
  { file: 'parse.ts', title: 'Reading `/master/state`: scanner, @streamparser/json, JSON.parse' },
  { file: 'big.ts', title: 'Big clusters (issue 15): exact IDs, fragments, TAB, tail -f at 100,000 tasks' },
  { file: 'big.ts', args: ['10000', '1000000'], title: 'Big clusters (issue 15) at 10,000 agents and 1,000,000 tasks' },
  { file: 'complete-entry.ts', title: 'Warm TAB on a completion entry of 1,000,000 task IDs' },
  { file: 'config-save.ts', title: 'Saving a 2 MB config (`mesos config KEY VALUE`)' },
  { file: 'exec.ts', title: '`exec TASK -- true` against `ssh TASK -- true` (real sshd on loopback), same run' },
  { file: 'sim-scale.ts', title: 'Simulator: scale scenario start and documents', code: true },
  { file: 'sim-scale.ts', args: ['10000', '1000000'], title: 'Simulator: scale scenario at 10,000 agents and 1,000,000 tasks', code: true },
]

function runBench(file: string, args: string[] = []): Promise<{ out: string; ok: boolean; seconds: number }> {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', file), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      process.stdout.write(c)
    })
    child.on('close', (code) => resolve({ out: out.trim(), ok: code === 0, seconds: (Date.now() - started) / 1000 }))
  })
}

const only = process.argv.slice(2)
const sections: string[] = []
for (const b of BENCHES) {
  if (only.length && !only.some((o) => b.file.startsWith(o))) continue
  console.log(`\n== bench/${b.file}`)
  const r = await runBench(b.file, b.args)
  const body = r.ok ? (b.code ? `\`\`\`\n${r.out}\n\`\`\`` : r.out) : `failed to run (see its output)\n\n\`\`\`\n${r.out}\n\`\`\``
  sections.push(`### ${b.title} (\`bench/${b.file}\`, ${r.seconds.toFixed(0)} s)\n\n${body}`)
}

const cpu = cpus()[0]?.model ?? 'unknown CPU'
const header = `Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`
const start = '<!-- bench:latest:start -->'
const end = '<!-- bench:latest:end -->'
const readme = join(ROOT, 'bench', 'README.md')
const text = readFileSync(readme, 'utf8')
const block = `${start}\n## Latest run (\`npm run bench\`)\n\n${header}\n\n${sections.join('\n\n')}\n${end}`
const next = text.includes(start)
  ? text.slice(0, text.indexOf(start)) + block + text.slice(text.indexOf(end) + end.length)
  : text.replace(/^(# Benchmarks\n)/, `$1\n${block}\n`)
writeFileSync(readme, next)
console.log(`\nwrote ${readme}`)
