/**
 * The sandbox commands end to end: the built CLI against the simulator over real HTTP, checking
 * output bytes, headers, exit codes, and the requests the simulator counted.
 */
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { BIN, cleanEnv, runCli, startCli, until } from '../helpers/cli.js'
import { peakMemoryKb } from '../helpers/peak-memory.js'

let sim: Simulator
let home: string

const scenario = {
  name: 'sandbox-e2e',
  agents: 2,
  frameworks: [
    {
      name: 'web',
      tasks: [
        { id: 'web.1', agent: 0 },
        { id: 'web.10', agent: 1 },
        { id: 'web.2', agent: 1 },
        { id: 'job-done', agent: 0, state: 'TASK_FINISHED' },
      ],
    },
  ],
}

const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  runCli(args, { env: cleanEnv(home, { MESOS_MASTER: sim.masterSpec, ...extra }), cwd: home })

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'mesos-sandbox-e2e-'))
  sim = await startSimulator({ scenario, logIntervalMs: 0, liveEvents: false, eagerSandboxes: true, rateLimit: false })
  writeFileSync(sim.sandboxPath('web.1', 'stdout'), 'one\ntwo\nthree\n')
  writeFileSync(sim.sandboxPath('web.10', 'stdout'), 'ten\n')
  writeFileSync(sim.sandboxPath('web.2', 'stdout'), 'a\nb') // no trailing newline
  writeFileSync(sim.sandboxPath('job-done', 'stdout'), 'done\n')
}, 60_000)

afterAll(async () => {
  await sim?.stop()
  await rm(home, { recursive: true, force: true })
})

describe('matching', () => {
  it('an exact ID wins over substring matches', async () => {
    const r = await run(['cat', 'web.1'])
    expect(r).toMatchObject({ code: 0, stdout: 'one\ntwo\nthree\n', stderr: '' })
  })

  it('several matches get ==> TASK:FILE <== headers, in task ID order', async () => {
    const r = await run(['cat', 'web'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('==> web.1:stdout <==\none\ntwo\nthree\n\n==> web.10:stdout <==\nten\n\n==> web.2:stdout <==\na\nb')
    expect((await run(['cat', '-q', 'web'])).stdout).toBe('one\ntwo\nthree\nten\na\nb')
  })

  it('globs match the whole ID', async () => {
    expect((await run(['cat', '-q', 'web.1*'])).stdout).toBe('one\ntwo\nthree\nten\n')
  })

  it('completed tasks need --inactive, with a hint', async () => {
    const r = await run(['cat', 'job-done'])
    expect(r.code).toBe(3)
    expect(r.stderr).toBe('mesos: no task matches "job-done"\nhint: 1 completed task(s) match; add --inactive\n')
    expect((await run(['cat', '-i', 'job-done'])).stdout).toBe('done\n')
  })

  it('no match at all is exit 3 without a hint', async () => {
    const r = await run(['ls', 'nothing-like-this'])
    expect(r.code).toBe(3)
    expect(r.stderr).toBe('mesos: no task matches "nothing-like-this"\n')
  })
})

describe('ls and find', () => {
  it('lists ls -la style with aligned columns', async () => {
    const r = await run(['ls', 'web.1'])
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines.map((l) => l.split(/\s+/).at(-1))).toEqual(['stderr', 'stdout'])
    for (const l of lines) expect(l).toMatch(/^-rw-r--r-- +1 \S+ +\S+ +\d+ [A-Z][a-z]{2} [ \d]\d \d\d:\d\d \S+$/)
    const stdoutLine = lines.find((l) => l.endsWith(' stdout'))!
    expect(stdoutLine.split(/\s+/)[4]).toBe('14')
  })

  it('--json gives paths relative to the sandbox', async () => {
    mkdirSync(sim.sandboxPath('web.10', 'logs/deep'), { recursive: true })
    sim.appendFile('web.10', 'logs/app.log', 'x\n')
    const r = await run(['ls', 'web.10', 'logs', '--json'])
    expect(r.code).toBe(0)
    const entries = JSON.parse(r.stdout)
    expect(entries).toEqual([
      expect.objectContaining({ task_id: 'web.10', path: 'logs/app.log', size_bytes: 2, nlink: 1, mode: '-rw-r--r--' }),
      expect.objectContaining({ task_id: 'web.10', path: 'logs/deep', mode: 'drwxr-xr-x' }),
    ])
    expect(entries[0].mtime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  })

  it('find lists everything recursively', async () => {
    sim.appendFile('web.10', 'logs/deep/inner.txt', 'y\n')
    const r = await run(['find', 'web.10'])
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['logs', 'logs/app.log', 'logs/deep', 'logs/deep/inner.txt', 'stderr', 'stdout'])
  })
})

describe('reading', () => {
  it('cat is byte-exact on binary, non-UTF-8 content', async () => {
    const bytes = Buffer.concat([randomBytes(300_000), Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x0a, 0xc3, 0x28])])
    writeFileSync(sim.sandboxPath('web.2', 'blob.bin'), bytes)
    const r = await run(['cat', 'web.2', 'blob.bin'])
    expect(r.code).toBe(0)
    expect(r.stdoutBytes.length).toBe(bytes.length)
    expect(sha(r.stdoutBytes)).toBe(sha(bytes))
  })

  it('head and tail recover raw bytes from /files/read JSON exactly', async () => {
    const lines = [Buffer.from([0xe9, 0x74, 0xe9, 0x0a]), Buffer.from([0x01, 0x7f, 0x80, 0xff, 0x0a]), Buffer.from('plain\n')]
    writeFileSync(sim.sandboxPath('web.2', 'latin1.txt'), Buffer.concat(lines))
    const head = await run(['head', '-n', '2', 'web.2', 'latin1.txt'])
    expect(head.stdoutBytes).toEqual(Buffer.concat(lines.slice(0, 2)))
    const tail = await run(['tail', '-n', '2', 'web.2', 'latin1.txt'])
    expect(tail.stdoutBytes).toEqual(Buffer.concat(lines.slice(1)))
  })

  it('tail handles no trailing newline, -n 0 and empty files', async () => {
    expect((await run(['tail', '-n', '1', 'web.2'])).stdout).toBe('b')
    expect((await run(['tail', '-n', '0', 'web.1'])).stdout).toBe('')
    writeFileSync(sim.sandboxPath('web.1', 'empty'), '')
    expect(await run(['tail', 'web.1', 'empty'])).toMatchObject({ code: 0, stdout: '' })
  })

  it('tail -n 10 costs one size request and one read, whatever the file size', async () => {
    const line = `${'z'.repeat(99)}\n`
    for (const [name, mb] of [
      ['one.log', 1],
      ['twenty.log', 20],
    ] as const) {
      writeFileSync(sim.sandboxPath('web.1', name), line.repeat(mb * 10_486))
      await run(['tail', 'web.1', name]) // warm the task index cache
      sim.resetRequests()
      const r = await run(['tail', 'web.1', name])
      expect(r.stdout).toBe(line.repeat(10))
      const agentRequests = sim.requests({ server: 'agents' }).map((q) => q.path)
      expect(agentRequests).toEqual(['/files/read', '/files/read'])
    }
  })

  it('a completed task whose sandbox was garbage-collected gets a per-task message, not a crash', async () => {
    const gc = sim.launchTask({ framework: 'web', id: 'gc-me', logs: [] })
    sim.appendFile(gc.id, 'stdout', 'bye\n')
    sim.finishTask(gc.id)
    sim.gcSandbox(gc.id)
    const r = await run(['cat', '-i', 'gc-me'])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^mesos: warning: the sandbox of task gc-me on 127\.0\.0\.1 is gone \(garbage-collected or never created\)$/m)
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/)
  })

  it('a file missing in every matched task is exit 1', async () => {
    const r = await run(['cat', 'web', 'nope.txt'])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('mesos: no matching task has nope.txt\n')
  })

  it('cat streams a 200 MB file with bounded memory', async () => {
    const size = 200 * 1024 * 1024
    const path = sim.sandboxPath('web.2', 'huge.bin')
    writeFileSync(path, Buffer.alloc(size, 0xab))
    const child = spawn(process.execPath, [BIN, 'cat', 'web.2', 'huge.bin'], {
      env: cleanEnv(home, { MESOS_MASTER: sim.masterSpec }),
    })
    let bytes = 0
    child.stdout.on('data', (c: Buffer) => {
      bytes += c.length
    })
    const [peakKb, code] = await Promise.all([peakMemoryKb(child), new Promise<number | null>((r) => child.on('close', r))])
    const result = { code, bytes, peakKb }
    rmSync(path)
    expect(result.code).toBe(0)
    expect(result.bytes).toBe(size)
    expect(result.peakKb).toBeGreaterThan(0)
    expect(result.peakKb).toBeLessThan(150 * 1024) // a fraction of the file: it is streamed, not held
  })

  it('cat | head -1 ends promptly with exit 0', async () => {
    writeFileSync(sim.sandboxPath('web.1', 'big.log'), Buffer.alloc(50 * 1024 * 1024, 'q\n'))
    const result = await new Promise<{ code: number | null; ms: number }>((resolve) => {
      const started = Date.now()
      const child = spawn(process.execPath, [BIN, 'cat', 'web.1', 'big.log'], {
        env: cleanEnv(home, { MESOS_MASTER: sim.masterSpec }),
      })
      child.stdout.once('data', () => child.stdout.destroy())
      child.on('close', (code) => resolve({ code, ms: Date.now() - started }))
    })
    expect(result.code).toBe(0)
    expect(result.ms).toBeLessThan(5000)
  })
})

describe('tail -f', () => {
  const follow = (args: string[]) =>
    startCli(['tail', '-f', '-s', '0.2', ...args], cleanEnv(home, { MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: join(home, 'follow-cache') }))

  it('prints appended lines once each, follows a task started mid-follow, restarts a truncated file', async () => {
    writeFileSync(sim.sandboxPath('web.1', 'f.log'), 'old-1\nold-2\n')
    // a glob, so that a later task can match too (an exact ID would match that task alone)
    const f = follow(['-n', '1', 'web.1*', 'f.log'])
    expect(await until(() => f.stdout().includes('old-2'))).toBe(true)
    for (let i = 1; i <= 20; i++) sim.appendFile('web.1', 'f.log', `line-${i}\n`)
    expect(await until(() => f.stdout().includes('line-20\n'))).toBe(true)

    // a task whose ID matches the filter starts later: followed from its first byte
    const started = Date.now()
    const t = sim.launchTask({ framework: 'web', id: 'web.1-late', logs: [] })
    sim.appendFile(t.id, 'f.log', 'late-1\nlate-2\n')
    expect(await until(() => f.stdout().includes('late-2\n'))).toBe(true)
    const lateMs = Date.now() - started

    sim.truncateFile('web.1', 'f.log', 0)
    sim.appendFile('web.1', 'f.log', 'after-truncate\n')
    expect(await until(() => f.stdout().includes('after-truncate\n'))).toBe(true)

    f.child.kill('SIGINT')
    expect(await f.exited()).toBe(130)

    const out = f.stdout()
    const lines = out.split('\n').filter((l) => l && !l.startsWith('==>'))
    expect(lines).toEqual([
      'old-2',
      ...Array.from({ length: 20 }, (_, i) => `line-${i + 1}`),
      'late-1',
      'late-2',
      'after-truncate',
    ])
    expect(out).toContain('==> web.1-late:f.log <==')
    expect(f.stderr()).toMatch(/web\.1:f\.log shrank from \d+ to \d+ bytes; following from the start/)
    expect(lateMs).toBeLessThan(3000) // about two poll intervals plus process start-up
  })

  it('rides out an agent that stops and comes back, with one warning', async () => {
    writeFileSync(sim.sandboxPath('web.10', 'g.log'), '')
    const agentId = sim.task('web.10').agentId
    sim.resetRequests()
    const f = follow(['-n', '0', 'web.10', 'g.log'])
    // -n 0 starts at the end: append only after its first poll (the size is asked when the request
    // arrives, so the first request alone may still see the appended lines)
    expect(await until(() => sim.requestCount({ path: '/files/read', query: /g\.log/ }) >= 2)).toBe(true)
    sim.appendFile('web.10', 'g.log', 'before\n')
    expect(await until(() => f.stdout().includes('before\n'))).toBe(true)
    await sim.stopAgent(agentId)
    sim.appendFile('web.10', 'g.log', 'during\n')
    expect(await until(() => f.stderr().includes('is not answering'))).toBe(true)
    await sim.startAgent(agentId)
    sim.appendFile('web.10', 'g.log', 'after\n')
    expect(await until(() => f.stdout().includes('after\n'))).toBe(true)
    f.child.kill('SIGTERM')
    expect(await f.exited()).toBe(143)
    expect(f.stdout()).toBe('before\nduring\nafter\n')
    expect(f.stderr().match(/is not answering/g)).toHaveLength(1)
  })
})
