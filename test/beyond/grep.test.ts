/**
 * `mesos grep` end to end: the built CLI against the simulator over three tasks, grep's exit codes
 * and output conventions, bytes that are not UTF-8, and a 200 MB file searched in bounded memory
 * (the child's peak RSS read from /proc).
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { BIN, cleanEnv, runCli } from '../helpers/cli.js'
import { peakMemoryKb } from '../helpers/peak-memory.js'

let sim: Simulator
let home: string

const scenario = {
  name: 'grep-e2e',
  agents: 2,
  frameworks: [
    {
      name: 'flink',
      tasks: [
        { id: 'tm-1', agent: 0 },
        { id: 'tm-2', agent: 1 },
        { id: 'tm-3', agent: 0 },
        { id: 'solo', agent: 1 },
      ],
    },
  ],
}

const run = (args: string[]) => runCli(args, { env: cleanEnv(home, { MESOS_MASTER: sim.masterSpec }), cwd: home, timeoutMs: 60_000 })

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'mesos-grep-e2e-'))
  sim = await startSimulator({ scenario, logIntervalMs: 0, liveEvents: false, eagerSandboxes: true, rateLimit: false })
  writeFileSync(sim.sandboxPath('tm-1', 'stdout'), 'starting\nERROR one\nok\nERROR two\n')
  writeFileSync(sim.sandboxPath('tm-1', 'stderr'), '')
  writeFileSync(sim.sandboxPath('tm-2', 'stdout'), 'fine\nall good\n')
  writeFileSync(sim.sandboxPath('tm-2', 'stderr'), Buffer.from([0x45, 0x52, 0x52, 0x4f, 0x52, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a, 0x6f, 0x6b]))
  writeFileSync(sim.sandboxPath('tm-3', 'stdout'), 'x\ny\nERROR (three) at end without newline')
  writeFileSync(sim.sandboxPath('tm-3', 'stderr'), 'nothing\n')
  writeFileSync(sim.sandboxPath('solo', 'stdout'), 'a|b\naxb\nab\nAB\n')
  writeFileSync(sim.sandboxPath('solo', 'stderr'), '')
}, 60_000)

afterAll(async () => {
  await sim?.stop()
  await rm(home, { recursive: true, force: true })
})

describe('grep', () => {
  it('prints matching lines with TASK_ID:FILE: prefixes, in task and file order, byte-exact', async () => {
    const r = await run(['grep', 'ERROR', 'tm-'])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdoutBytes).toEqual(
      Buffer.concat([
        Buffer.from('tm-1:stdout:ERROR one\ntm-1:stdout:ERROR two\ntm-2:stderr:'),
        Buffer.from([0x45, 0x52, 0x52, 0x4f, 0x52, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a]),
        Buffer.from('tm-3:stdout:ERROR (three) at end without newline\n'),
      ]),
    )
  })

  it('-c counts per source, -l names sources, -n numbers lines, -v inverts, -q drops prefixes', async () => {
    expect((await run(['grep', '-c', 'ERROR', 'tm-'])).stdout).toBe(
      'tm-1:stdout:2\ntm-1:stderr:0\ntm-2:stdout:0\ntm-2:stderr:1\ntm-3:stdout:1\ntm-3:stderr:0\n',
    )
    expect((await run(['grep', '-l', 'ERROR', 'tm-'])).stdout).toBe('tm-1:stdout\ntm-2:stderr\ntm-3:stdout\n')
    expect((await run(['grep', '-n', 'ERROR', 'tm-', 'stdout'])).stdout).toBe(
      'tm-1:stdout:2:ERROR one\ntm-1:stdout:4:ERROR two\ntm-3:stdout:3:ERROR (three) at end without newline\n',
    )
    expect((await run(['grep', '-v', '-n', 'ERROR', 'tm-1', 'stdout'])).stdout).toBe('1:starting\n3:ok\n')
    expect((await run(['grep', '-q', '-c', 'ERROR', 'tm-', 'stdout'])).stdout).toBe('2\n0\n1\n')
  })

  it('basic syntax by default, -E extended, -F fixed, --ignore-case', async () => {
    expect((await run(['grep', 'a|b', 'solo', 'stdout'])).stdout).toBe('a|b\n')
    expect((await run(['grep', '-E', 'a|b', 'solo', 'stdout'])).stdout).toBe('a|b\naxb\nab\n')
    expect((await run(['grep', '-E', '^a.b$', 'solo', 'stdout'])).stdout).toBe('a|b\naxb\n')
    expect((await run(['grep', '-F', 'a.b', 'solo', 'stdout'])).code).toBe(1)
    expect((await run(['grep', '--ignore-case', '^ab$', 'solo', 'stdout'])).stdout).toBe('ab\nAB\n')
    expect((await run(['grep', '-n', '\\(three\\)', 'tm-3'])).stdout).toBe('tm-3:stdout:3:ERROR (three) at end without newline\n')
  })

  it('a pattern typed as bytes that are not UTF-8 looks for those bytes (grep and tail --grep)', async () => {
    // bash makes the bytes: node alone cannot put them in an argument
    const viaBash = (script: string) =>
      new Promise<{ code: number | null; stdout: Buffer }>((resolve) => {
        const child = spawn('bash', ['-c', `exec "$0" "$1" ${script}`, process.execPath, BIN], {
          env: cleanEnv(home, { MESOS_MASTER: sim.masterSpec }),
          cwd: home,
        })
        const out: Buffer[] = []
        child.stdout.on('data', (c: Buffer) => out.push(c))
        child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out) }))
      })
    expect(await viaBash(`grep -c $'\\xff\\xfe\\xc3(' tm-2 stderr`)).toEqual({ code: 0, stdout: Buffer.from('1\n') })
    expect(await viaBash(`grep -c -e x -e $'\\xff\\xfe' tm-2 stderr`)).toEqual({ code: 0, stdout: Buffer.from('1\n') })
    // what node would have made of them: U+FFFD, which the file does not hold
    expect(await viaBash(`grep -c $'\\xef\\xbf\\xbd' tm-2 stderr`)).toEqual({ code: 1, stdout: Buffer.from('0\n') })
    expect((await viaBash(`tail -n 5 --grep $'\\xff\\xfe' tm-2 stderr`)).stdout).toEqual(
      Buffer.from([0x45, 0x52, 0x52, 0x4f, 0x52, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a]),
    )
  })

  it('exit 1 when nothing matches, 2 when a file cannot be searched or the pattern is wrong', async () => {
    expect(await run(['grep', 'no-such-text', 'tm-'])).toMatchObject({ code: 1, stdout: '', stderr: '' })
    const missing = await run(['grep', 'ERROR', 'tm-', 'stdout', 'nope.log'])
    expect(missing.code).toBe(2)
    expect(missing.stdout).toContain('tm-1:stdout:ERROR one\n')
    expect(missing.stderr).toContain('mesos: warning: tm-1:nope.log: no such file\n')
    expect(missing.stderr).toMatch(/mesos: 3 of 6 file\(s\) could not be searched\n$/)
    const bad = await run(['grep', '-E', 'a(b', 'tm-1'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^mesos: invalid pattern "a\(b": /)
    expect((await run(['grep', 'x', 'no-task-like-this'])).code).toBe(3)
  })

  it('more missing files than connections: each one answered, none stuck in the connection pool', async () => {
    const files = Array.from({ length: 40 }, (_, i) => `missing-${i}`)
    const r = await run(['grep', 'x', 'tm-1', ...files])
    expect(r.code).toBe(2)
    expect(r.stderr).not.toContain('timed out')
    expect(r.stderr.match(/no such file/g)).toHaveLength(40)
  })

  it('completes the task after PATTERN, then its sandbox files; download and top complete tasks too', async () => {
    expect((await run(['__complete', 'grep', 'ERROR', 'tm-'])).stdout).toBe('tm-1\ntm-2\ntm-3\n:0\n')
    expect((await run(['__complete', 'grep', 'ERROR', 'tm-1', 'std'])).stdout).toBe('stderr\nstdout\n:0\n')
    expect((await run(['__complete', 'download', 'so'])).stdout).toBe('solo\n:0\n')
    expect((await run(['__complete', 'top', 'so'])).stdout).toBe('solo\n:0\n')
  })

  it('searches a 200 MB file in bounded memory', async () => {
    const line = Buffer.from(`${'y'.repeat(99)}\n`)
    const mb = Buffer.concat(Array.from({ length: 10_486 }, () => line))
    const path = sim.sandboxPath('solo', 'huge.log')
    writeFileSync(path, '')
    for (let i = 0; i < 200; i++) writeFileSync(path, i === 137 ? Buffer.concat([mb, Buffer.from('needle here\n')]) : mb, { flag: 'a' })
    const child = spawn(process.execPath, [BIN, 'grep', '-n', 'needle', 'solo', 'huge.log'], {
      env: cleanEnv(home, { MESOS_MASTER: sim.masterSpec }),
    })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c))
    const [peakKb, code] = await Promise.all([peakMemoryKb(child), new Promise<number | null>((r) => child.on('close', r))])
    const result = { code, out, peakKb }
    expect(result.code).toBe(0)
    expect(result.out).toBe(`${138 * 10_486 + 1}:needle here\n`)
    expect(result.peakKb).toBeGreaterThan(0)
    expect(result.peakKb).toBeLessThan(150 * 1024)
  }, 120_000)
})
