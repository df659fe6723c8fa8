/**
 * The README's walkthrough, line by line as a new user pastes it, against the simulated Flink
 * cluster: the lines are read from README.md, so the text and the test cannot drift apart.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { BIN, cleanEnv, ROOT, until } from '../helpers/cli.js'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const block = /<!-- walkthrough[^>]*-->\s*```sh\n([\s\S]*?)```\s*<!-- \/walkthrough -->/.exec(readme)
const lines = (block?.[1] ?? '').split('\n').filter((l) => l.trim() !== '')

let root: string
let sim: Simulator

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesos-ux-readme-'))
  mkdirSync(join(root, 'bin'))
  symlinkSync(BIN, join(root, 'bin', 'mesos'))
  sim = await startSimulator({ scenario: 'flink', seed: 11, logIntervalMs: 0, liveEvents: false, rateLimit: false, eagerSandboxes: true })
}, 60_000)

afterAll(async () => {
  await sim?.stop()
  rmSync(root, { recursive: true, force: true })
})

/** One pasted line in bash; a following line (`-f`) is interrupted as a user would, once it printed. */
function paste(line: string): Promise<{ code: number | null; out: string; err: string }> {
  const env = { ...cleanEnv(join(root, 'home'), { MESOS_MASTER: sim.masterSpec }), PATH: `${join(root, 'bin')}:${process.env.PATH}` }
  const child = spawn('bash', ['-c', line], { env, cwd: root, detached: true })
  let out = ''
  let err = ''
  child.stdout.on('data', (c) => (out += c))
  child.stderr.on('data', (c) => (err += c))
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  if (/\s-f\b/.test(line))
    void until(() => out.includes('==> taskmanager-00005:stdout <=='), 15_000).then(() => process.kill(-child.pid!, 'SIGINT'))
  return done.then((code) => ({ code, out, err }))
}

describe('README walkthrough', () => {
  it('is in README.md', () => {
    expect(lines.length).toBeGreaterThanOrEqual(6)
    for (const l of lines) expect(l).toMatch(/^mesos /)
  })

  it('every line works as pasted, and tells the story', async () => {
    const seen: string[] = []
    for (const line of lines) {
      const r = await paste(line)
      const following = /\s-f\b/.test(line)
      expect(r.code, `${line}\n${r.err}`).toBe(following ? 130 : 0)
      expect(r.out.length, line).toBeGreaterThan(0)
      seen.push(r.out)
    }
    const all = seen.join('\n')
    expect(all).toMatch(/marathon/)
    expect(all).toMatch(/flink\.[0-9a-f-]{36}/)
    expect(all).toMatch(/FAILED\s.*taskmanager-00003/)
    expect(all).toContain('Command exited with status 137')
  }, 120_000)
})
