/** `mesos sim up` as a user runs it: prints the leader and a command, serves, cleans up on Ctrl-C. */
// (run from the sources through run-sim.ts, so it does not depend on a build in dist/)
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { get } from './http.js'

const ROOT = join(import.meta.dirname, '..', '..')
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
let home: string

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'sim-up-'))
})
/** every `sim up` started here: a test that fails half-way must not leave one running */
const started: ChildProcess[] = []
afterAll(async () => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  await rm(home, { recursive: true, force: true })
})

function start(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX, '--no-warnings', join(ROOT, 'test', 'sim', 'run-sim.ts'), 'up', ...args], {
    cwd: home,
    env: { ...process.env, HOME: home, NO_COLOR: '1', MESOS_CLI_CONFIG: join(home, '.mesos.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  started.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d) => {
    stdout += d
  })
  child.stderr?.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const ready = async () => {
    const end = Date.now() + 30_000
    // the last of its notes on stderr, which may arrive after stdout's lines
    while (!/^try: /m.test(stdout) || !/^(Ctrl-C to stop|stopping in )/m.test(stderr)) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`sim up did not start:\n${stdout}\n${stderr}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return { child, exited, ready, out: () => stdout, err: () => stderr }
}

function ctl(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, '--no-warnings', join(ROOT, 'test', 'sim', 'run-sim.ts'), 'ctl', ...args], {
      cwd: home,
      env: { ...process.env, HOME: home, NO_COLOR: '1', MESOS_CLI_CONFIG: join(home, '.mesos.json') },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('mesos sim up', () => {
  it('prints the leader and a copy-paste line, serves the cluster, and cleans up on SIGINT', async () => {
    const p = start(['--scenario', 'hello', '--port', '0', '--set-profile', 'sim'])
    await p.ready()
    const leader = /^leader: (127\.0\.0\.1:\d+)$/m.exec(p.out())![1]!
    expect(p.out()).toContain(`try: mesos --profile sim ps`)
    const workdir = /^workdir: (.+)$/m.exec(p.err())![1]!
    expect(existsSync(join(workdir, 'slaves'))).toBe(true)
    const s = await get(`http://${leader}/master/state`)
    expect(s.status).toBe(200)
    expect(s.json().frameworks[0].name).toBe('hello')
    const config = JSON.parse(await readFile(join(home, '.mesos.json'), 'utf8'))
    expect(config.sim.master).toBe(leader)

    const control = /^control: (http:\/\/127\.0\.0\.1:\d+) /m.exec(p.err())![1]!
    const st = await ctl(['status', '--control', control])
    expect(st.code).toBe(0)
    expect(JSON.parse(st.stdout).leader).toBe(leader)
    expect((await ctl(['kill', 'hello-1', '--control', control])).code).toBe(0)
    const t = (await get(`http://${leader}/master/tasks?task_id=hello-1`)).json().tasks[0]
    expect(t.state).toBe('TASK_KILLED')
    const bad = await ctl(['kill', 'no-such-task', '--control', control])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('mesos: no task no-such-task')
    p.child.kill('SIGINT')
    expect(await p.exited).toBe(130)
    expect(existsSync(workdir)).toBe(false)
    await expect(get(`http://${leader}/master/state`)).rejects.toThrow()
  })

  it('--duration stops by itself with exit 0; the line names the master without a profile', async () => {
    const p = start(['--scenario', 'hello', '--port', '0', '--duration', '1'])
    await p.ready()
    expect(p.out()).toMatch(/^try: mesos --master 127\.0\.0\.1:\d+ ps$/m)
    expect(await p.exited).toBe(0)
  })
})
