/** `npm run demo` (scripts/demo.sh) ends with 0 on its own and on Ctrl-C, and leaves nothing behind. */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, until } from '../helpers/cli.js'

function demo(tmp: string) {
  const env = { PATH: process.env.PATH, HOME: tmp, TMPDIR: tmp, NO_COLOR: '1', DEMO_SECONDS: '2' }
  const child = spawn('bash', ['scripts/demo.sh'], { cwd: ROOT, env, detached: true })
  let out = ''
  child.stdout.on('data', (c) => (out += c))
  child.stderr.on('data', (c) => (out += c))
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return { child, out: () => out, done }
}

describe('npm run demo', () => {
  it('exits 0 on its own and leaves nothing in TMPDIR', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mesos-ux-demo-'))
    try {
      const d = demo(tmp)
      expect(await d.done, d.out()).toBe(0)
      expect(d.out()).toContain('+ mesos tail -f taskmanager')
      expect(d.out()).toContain('==> taskmanager-')
      expect(readdirSync(tmp)).toEqual([])
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  }, 60_000)

  it('exits 0 on Ctrl-C and leaves nothing in TMPDIR', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mesos-ux-demo-'))
    try {
      const d = demo(tmp)
      expect(await until(() => d.out().includes('+ mesos tail -f'), 30_000)).toBe(true)
      process.kill(-d.child.pid!, 'SIGINT') // the terminal sends it to the whole foreground group
      expect(await d.done, d.out()).toBe(0)
      expect(readdirSync(tmp)).toEqual([])
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  }, 60_000)
})
