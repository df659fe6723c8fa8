/**
 * Saving a big config: `mesos config KEY VALUE` and `mesos config profile NEW` on a 2 MB
 * `.mesos.json` (26,000 profiles), minified and pretty-printed, against `node -e 0`. Saving is
 * linear in the file's size (spec section 2): a minified file once took minutes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BIN, median, repeat, timed } from './lib.js'

const big: Record<string, unknown> = { profile: 'default', default: { master: 'm:5050' } }
for (let i = 0; i < 26_000; i++) big[`p${i}`] = { master: `host${i}:5050`, principal: `user${i}`, ssh_user: `u${i}` }

const dir = mkdtempSync(join(tmpdir(), 'mesos-bench-config-'))
const rows: string[] = []
const baseline = await repeat(5, async () => (await timed(process.execPath, ['-e', '0'])).ms)
rows.push(`| node -e 0 | | ${baseline.toFixed(0)} ms |`)
for (const [form, text] of [
  ['minified', JSON.stringify(big)],
  ['pretty', JSON.stringify(big, null, 2)],
] as const) {
  for (const [what, args] of [
    ['config debug true', ['config', 'debug', 'true']],
    ['config profile NEW', ['config', 'profile', 'fresh']],
  ] as const) {
    const file = join(dir, `${form}.json`)
    const times: number[] = []
    for (let i = 0; i < 5; i++) {
      writeFileSync(file, text)
      times.push((await timed(process.execPath, [BIN, ...args], { ...process.env, MESOS_CLI_CONFIG: file })).ms)
    }
    rows.push(`| mesos ${what} | ${form}, ${(text.length / 1e6).toFixed(1)} MB | ${median(times).toFixed(0)} ms |`)
  }
}
rmSync(dir, { recursive: true, force: true })
console.log(['| command | file | median of 5 |', '|---|---|---|', ...rows].join('\n'))
