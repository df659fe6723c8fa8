/**
 * `mesos download` end to end: the built CLI against the simulator, comparing every copied file's
 * sha256, mode and mtime with the sandbox's, an agent stopped mid-way (exit 1, no half-written
 * file), and a second run that resumes (skips what is complete).
 */
import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { cleanEnv, runCli, startCli, until } from '../helpers/cli.js'

let sim: Simulator
let home: string

const scenario = {
  name: 'download-e2e',
  agents: 2,
  frameworks: [
    {
      name: 'flink',
      tasks: [
        { id: 'taskmanager-1', agent: 0 },
        { id: 'taskmanager-2', agent: 1 },
        { id: 'big-one', agent: 1 },
      ],
    },
  ],
}

const run = (args: string[], cwd = home) => runCli(args, { env: cleanEnv(home, { MESOS_MASTER: sim.masterSpec }), cwd, timeoutMs: 60_000 })
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** Every file below `dir`: relative path → sha256, mode bits, mtime in seconds (directories: mode). */
function tree(dir: string, skip: (name: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {}
  const visit = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (skip(name)) continue
      const p = join(d, name)
      const st = statSync(p)
      const mode = (st.mode & 0o777).toString(8)
      if (st.isDirectory()) {
        out[`${relative(dir, p)}/`] = mode
        visit(p)
      } else out[relative(dir, p)] = `${sha(readFileSync(p))} ${mode} ${Math.floor(st.mtimeMs / 1000)}`
    }
  }
  visit(dir)
  return out
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'mesos-download-e2e-'))
  sim = await startSimulator({ scenario, logIntervalMs: 0, liveEvents: false, eagerSandboxes: true, rateLimit: false })
  const box = sim.sandboxPath('taskmanager-1')
  writeFileSync(join(box, 'stdout'), 'hello\n')
  writeFileSync(join(box, 'blob.bin'), Buffer.concat([randomBytes(1_000_000), Buffer.from([0, 0xff, 0xfe, 0x0a, 0x80])]))
  writeFileSync(join(box, 'empty'), '')
  mkdirSync(join(box, 'conf', 'deep'), { recursive: true })
  writeFileSync(join(box, 'conf', 'flink-conf.yaml'), 'taskmanager.numberOfTaskSlots: 4\n')
  writeFileSync(join(box, 'conf', 'deep', 'run.sh'), '#!/bin/sh\necho hi\n')
  chmodSync(join(box, 'conf', 'deep', 'run.sh'), 0o750)
  chmodSync(join(box, 'conf', 'flink-conf.yaml'), 0o600)
  utimesSync(join(box, 'blob.bin'), 1_600_000_000, 1_600_000_000)
  mkdirSync(join(box, 'empty-dir'))
  writeFileSync(sim.sandboxPath('taskmanager-2', 'stdout'), 'second\n')
}, 60_000)

afterAll(async () => {
  await sim?.stop()
  await rm(home, { recursive: true, force: true })
})

describe('download', () => {
  it('copies a whole sandbox byte-exact with modes and mtimes into ./<task-id>/', async () => {
    const r = await run(['download', 'taskmanager-1'])
    expect(r.stderr).toMatch(/^mesos: 6 file\(s\) copied \(1\.0 MB\), 0 already up to date, 0 failed; in taskmanager-1\n$/)
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    const local = tree(join(home, 'taskmanager-1'))
    expect(local).toEqual(tree(sim.sandboxPath('taskmanager-1')))
    expect(Object.keys(local)).toEqual(
      expect.arrayContaining(['blob.bin', 'empty', 'conf/', 'conf/deep/', 'conf/deep/run.sh', 'empty-dir/']),
    )
    expect(local['conf/deep/run.sh']).toMatch(/ 750 /)
    expect(local['blob.bin']).toMatch(/ 644 1600000000$/)
  })

  it('a second run skips what is complete; a file that differs needs --force', async () => {
    const again = await run(['download', 'taskmanager-1'])
    expect(again).toMatchObject({ code: 0 })
    expect(again.stderr).toContain('0 file(s) copied (0.0 MB), 6 already up to date')
    sim.appendFile('taskmanager-1', 'stdout', 'more\n')
    const refused = await run(['download', 'taskmanager-1', 'stdout'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('mesos: warning: taskmanager-1:stdout: taskmanager-1/stdout exists with another size or mtime\n')
    expect(refused.stderr).toMatch(/\nhint: --force replaces local files that differ from the sandbox\n$/)
    expect(readFileSync(join(home, 'taskmanager-1', 'stdout'), 'utf8')).toBe('hello\n')
    const forced = await run(['download', '--force', 'taskmanager-1', 'stdout'])
    expect(forced.code).toBe(0)
    expect(readFileSync(join(home, 'taskmanager-1', 'stdout'), 'utf8')).toBe('hello\nmore\n')
  })

  it('PATHs keep their sandbox-relative place; -o with several tasks makes one directory per task', async () => {
    const r = await run(['download', 'taskmanager', 'stdout', 'conf/deep', '-o', 'out'])
    expect(r.code).toBe(1) // taskmanager-2 has no conf/deep
    expect(r.stderr).toContain('mesos: warning: taskmanager-2:conf/deep: no such file or directory')
    expect(readFileSync(join(home, 'out', 'taskmanager-2', 'stdout'), 'utf8')).toBe('second\n')
    expect(readFileSync(join(home, 'out', 'taskmanager-1', 'conf', 'deep', 'run.sh'), 'utf8')).toContain('echo hi')
    expect(existsSync(join(home, 'out', 'taskmanager-1', 'conf', 'flink-conf.yaml'))).toBe(false)
    const single = await run(['download', 'taskmanager-2', '-o', 'just-two'])
    expect(single.code).toBe(0)
    expect(readFileSync(join(home, 'just-two', 'stdout'), 'utf8')).toBe('second\n')
  })

  it('a PATH that leaves the sandbox is a usage error', async () => {
    const r = await run(['download', 'taskmanager-1', '../../etc'])
    expect(r).toMatchObject({ code: 2, stderr: 'mesos: PATH "../../etc" leaves the sandbox\nhint: mesos download --help\n' })
  })

  it('a destination that cannot be made is one clear error, at once, wherever it is', async () => {
    writeFileSync(join(home, 'a-file'), 'x')
    const cases: [string[], string, number][] = [
      // /proc refuses new entries: node's own recursive mkdir spins there forever
      [['-o', '/proc/mesos-download-test'], 'mesos: cannot create directory /proc/mesos-download-test: no such file or directory\n', 1],
      [['-o', 'a-file'], 'mesos: cannot create directory a-file: a file of that name is in the way\n', 1],
      [['-o', 'a-file/below'], 'mesos: cannot create directory a-file/below: a parent is not a directory\n', 1],
      [['-o', ''], 'mesos: --output: expected a value, got ""\nhint: mesos download --help\n', 2],
    ]
    for (const [flags, stderr, code] of cases) {
      const r = await run(['download', 'taskmanager-2', ...flags])
      expect({ flags, code: r.code, stderr: r.stderr }).toEqual({ flags, code, stderr })
    }
    // several tasks: <DIR>/<task-id> is where the file is in the way
    writeFileSync(join(home, 'taskmanager-2'), 'x')
    const several = await run(['download', 'taskmanager'], join(home))
    expect(several).toMatchObject({ code: 1, stderr: 'mesos: cannot create directory taskmanager-2: a file of that name is in the way\n' })
    await rm(join(home, 'taskmanager-2'))
  })

  it('a file the agent refuses (a link out of the sandbox) fails alone, and the hint does not promise a retry', async () => {
    const box = sim.sandboxPath('taskmanager-2')
    symlinkSync('/etc/hostname', join(box, 'outside'))
    try {
      const dest = join(home, 'refused')
      const r = await run(['download', 'taskmanager-2', '-o', dest])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/^mesos: warning: taskmanager-2:outside: agent \S+ answered 400 for GET \/files\/download: .*inaccessible/m)
      expect(r.stderr).toMatch(/mesos: 1 file\(s\) could not be downloaded\nhint: the agent refused one: running again will not fetch it\n$/)
      expect(readFileSync(join(dest, 'stdout'), 'utf8')).toBe('second\n')
      expect(existsSync(join(dest, 'outside'))).toBe(false)
    } finally {
      unlinkSync(join(box, 'outside'))
    }
  })

  it('an agent stopped mid-way: exit 1, each failed file listed, nothing half-written, and a re-run completes', async () => {
    const box = sim.sandboxPath('big-one')
    for (let i = 0; i < 6; i++) writeFileSync(join(box, `part-${i}.bin`), randomBytes(8 * 1024 * 1024))
    const agent = sim.task('big-one').agentId
    const dest = join(home, 'big-one')
    // one file at a time, so the agent goes away after the first file and before the last
    const config = join(home, 'one-worker.json')
    writeFileSync(config, JSON.stringify({ profile: 'default', default: { master: sim.masterSpec, max_workers: 1 } }))
    const child = startCli(['download', 'big-one', '-o', dest], cleanEnv(home, { MESOS_CLI_CONFIG: config }))
    child.child.stdin.end()
    expect(await until(() => existsSync(join(dest, 'part-0.bin')), 30_000)).toBe(true)
    await sim.stopAgent(agent)
    const code = await child.exited()
    expect(code).toBe(1)
    expect(child.stderr()).toMatch(/mesos: \d+ file\(s\) could not be downloaded\nhint: run the same command again to retry them; what was copied is skipped\n/)
    const failedLines = child.stderr().split('\n').filter((l) => l.startsWith('mesos: warning: big-one:'))
    expect(failedLines.length).toBeGreaterThan(0)
    // nothing half-written: every file under a final name is complete; no temporary file is left
    const names = readdirSync(dest)
    expect(names.filter((n) => n.includes('.mesos-part-'))).toEqual([])
    for (const n of names) {
      if (!n.startsWith('part-')) continue
      expect(sha(readFileSync(join(dest, n)))).toBe(sha(readFileSync(join(box, n))))
    }
    expect(names.filter((n) => n.startsWith('part-')).length + failedLines.length).toBeGreaterThanOrEqual(6)
    await sim.startAgent(agent)
    const resumed = await run(['download', 'big-one'])
    expect(resumed.code).toBe(0)
    expect(resumed.stderr).toMatch(/already up to date/)
    expect(tree(dest)).toEqual(tree(box))
  }, 90_000)
})
