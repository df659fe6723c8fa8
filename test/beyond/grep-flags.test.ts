/**
 * `mesos grep`'s grep flags (-e -w -x -o -m -H -s -A -B -C) against GNU grep itself: the same bytes
 * are written to the sandboxes and to local files named like mesos' sources (`TASK:FILE`), GNU grep
 * runs on the local files with LC_ALL=C (mesos matches bytes), and the outputs must be identical,
 * byte for byte, exit status included. A 3 MB file puts context groups across the chunks that the
 * download arrives in.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { cleanEnv, runCli } from '../helpers/cli.js'

let sim: Simulator
let home: string
let local: string

const scenario = {
  name: 'grep-flags',
  agents: 2,
  frameworks: [{ name: 'f', tasks: [{ id: 'g1', agent: 0 }, { id: 'g2', agent: 1 }] }],
}

const small = Buffer.concat([
  Buffer.from('alpha beta\nERROR disk full\nbetamax\n\nERROR: retry 3 of 5\nword_ERROR_word\nERRORS\nok\nok\nok\n'),
  Buffer.from([0x45, 0x52, 0x52, 0x4f, 0x52, 0x20, 0xff, 0xc3, 0x28, 0x0d, 0x0a]),
  Buffer.from('took 12 ms, took 7 ms\nlast line ERROR without newline'),
])

/** 3 MB of numbered lines; matches at irregular spacing, some adjacent, some a few lines apart. */
function big(): Buffer {
  const lines: string[] = []
  for (let i = 0; i < 60_000; i++) {
    const hit = i % 997 === 0 || i % 997 === 1 || i % 1499 === 3 || i % 4096 === 4093
    lines.push(`${hit ? 'MATCH' : 'line'} ${i} ${'x'.repeat(i % 83)}`)
  }
  return Buffer.from(`${lines.join('\n')}\n`)
}

/**
 * Non-ASCII letters in both cases, a UTF-8 lead byte that folds with Ä's as a Latin-1 letter
 * (0xE3 against 0xC3), and invalid bytes around a match.
 */
const umlauts = Buffer.concat([
  Buffer.from('so ein ärger\nÄRGER im Büro\nkein arger\n'),
  Buffer.from([0xe3, 0x84, 0x52, 0x47, 0x45, 0x52, 0x0a]),
  Buffer.from([0x62, 0x61, 0x64, 0x20, 0xff, 0xc3, 0x20]),
  Buffer.from('äRgEr\nÉté ÉTÉ\nété\nÖL und öl\nplain ascii\n'),
])

const files: Record<string, Buffer> = {}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'mesos-grep-flags-'))
  local = join(home, 'local')
  mkdirSync(local)
  sim = await startSimulator({ scenario, logIntervalMs: 0, liveEvents: false, eagerSandboxes: true, rateLimit: false })
  files['g1:stdout'] = small
  files['g1:big.log'] = big()
  files['g2:stdout'] = Buffer.from('ERROR in g2\nnothing\nmore ERROR here\n')
  files['g1:umlaut.log'] = umlauts
  // binary from its first bytes, and a log that turns binary after 2 MB of matching lines
  files['g1:core.bin'] = Buffer.concat([Buffer.from('ELF\0\x01 ERROR\n'), Buffer.from('ERROR again\n'), Buffer.alloc(300, 0), Buffer.from('\nERROR at the end\n')])
  files['g2:late.log'] = Buffer.concat([Buffer.from('ERROR line\n'.repeat(200_000)), Buffer.from('ERR\0R\nERROR after the NUL\n')])
  // another 3 MB with other lines, on the other agent: searched while g1's lines are printed
  files['g2:big.log'] = Buffer.from(big().toString('latin1').split('\n').reverse().join('\n').slice(1) + '\n', 'latin1')
  for (const [source, bytes] of Object.entries(files)) {
    const [task, file] = source.split(':') as [string, string]
    writeFileSync(sim.sandboxPath(task, file), bytes)
    writeFileSync(join(local, source), bytes)
  }
  writeFileSync(sim.sandboxPath('g1', 'stderr'), '')
  writeFileSync(sim.sandboxPath('g2', 'stderr'), '')
}, 60_000)

afterAll(async () => {
  await sim?.stop()
  await rm(home, { recursive: true, force: true })
})

const mesos = (args: string[]) => runCli(['grep', ...args], { env: cleanEnv(home, { MESOS_MASTER: sim.masterSpec }), cwd: home, timeoutMs: 60_000 })

function gnu(args: string[], locale = 'C'): { code: number; stdout: Buffer } {
  const r = spawnSync('grep', args, { cwd: local, env: { PATH: process.env.PATH, LC_ALL: locale }, maxBuffer: 64 * 1024 * 1024 })
  return { code: r.status ?? -1, stdout: r.stdout }
}

/** mesos grep FLAGS -- over TASK FILES against grep FLAGS over the local copies. */
async function same(flags: string[], task: string, sources: string[]): Promise<void> {
  const want = gnu([...flags, '--', ...sources])
  const got = await mesos([...flags, task, ...sources.map((s) => s.slice(s.indexOf(':') + 1))])
  expect(got.stderr).toBe('')
  expect({ code: got.code, out: got.stdoutBytes.toString('latin1') }).toEqual({ code: want.code, out: want.stdout.toString('latin1') })
}

describe('grep flags, GNU grep as the oracle', () => {
  it('-w, -x, -o (with -n, -i), -e repeated', async () => {
    await same(['-w', '-e', 'ERROR'], 'g1', ['g1:stdout'])
    await same(['-x', '-e', 'ok'], 'g1', ['g1:stdout'])
    await same(['-x', '-E', '-e', 'ERROR.*'], 'g1', ['g1:stdout'])
    await same(['-o', '-n', '-E', '-e', 'took [0-9]+ ms'], 'g1', ['g1:stdout'])
    await same(['-o', '-w', '-e', 'ERROR'], 'g1', ['g1:stdout'])
    await same(['-e', 'disk', '-e', 'retry', '-e', 'betamax'], 'g1', ['g1:stdout'])
    await same(['-c', '-v', '-e', 'ERROR', '-e', '^ok$'], 'g1', ['g1:stdout'])
    await same(['-c', '-v', '-e', 'ERROR'], 'g1', ['g1:stdout', 'g1:big.log'])
    await same(['-c', '-v', '-E', '-e', 'MATCH [0-9]+1 '], 'g1', ['g1:big.log'])
    await same(['-l', '-v', '-e', 'o'], 'g1', ['g1:stdout', 'g1:big.log'])
    await same(['-F', '-x', '-e', 'ERRORS'], 'g1', ['g1:stdout'])
    await same(['-w', '-e', 'nothing-here'], 'g1', ['g1:stdout'])
  })

  it('the byte-level fast paths (plain string, required run, -v, -c, -n) over 3 MB of chunks', async () => {
    await same(['-n', '-e', 'MATCH'], 'g1', ['g1:big.log'])
    await same(['-n', '-E', '-e', 'MATCH [0-9]+7 x'], 'g1', ['g1:big.log'])
    await same(['-v', '-n', '-e', 'x'], 'g1', ['g1:big.log', 'g1:stdout'])
    await same(['-c', '-v', '-F', '-e', 'xxxxxxxxxx'], 'g1', ['g1:big.log', 'g1:stdout'])
    await same(['-c', '-v', '-e', 'line'], 'g1', ['g1:big.log'])
    await same(['-c', '-e', 'x'], 'g1', ['g1:big.log'])
  })

  it('every line of two 3 MB files: the second queues whole while the first prints, its lines intact', async () => {
    for (const flags of [['-n', '-e', ' '], ['-v', '-e', 'zzz']]) {
      const want = gnu([...flags, '--', 'g1:big.log', 'g2:big.log'])
      const got = await mesos([...flags, 'g', 'big.log'])
      expect(got.stderr).toBe('')
      expect(got.code).toBe(0)
      expect(got.stdoutBytes.equals(want.stdout)).toBe(true)
    }
  })

  it('--ignore-case with non-ASCII letters matches as grep does in a UTF-8 locale, lines kept byte-exact', async () => {
    // -a: GNU grep would call a line with invalid UTF-8 binary; mesos prints it as it is
    const utf8 = async (flags: string[]) => {
      const want = gnu(['-a', '--ignore-case', ...flags, '--', 'g1:umlaut.log'], 'C.UTF-8')
      const got = await mesos(['--ignore-case', ...flags, 'g1', 'umlaut.log'])
      expect(got.stderr).toBe('')
      expect({ code: got.code, out: got.stdoutBytes.toString('latin1') }).toEqual({ code: want.code, out: want.stdout.toString('latin1') })
      return got.stdoutBytes
    }
    const upper = await utf8(['-e', 'ÄRGER'])
    expect(upper.toString('latin1').split('\n').filter(Boolean)).toHaveLength(3)
    await utf8(['-e', 'ärger'])
    await utf8(['-n', '-F', '-e', 'ÉTÉ'])
    await utf8(['-c', '-v', '-F', '-e', 'été'])
    await utf8(['-o', '-E', '-e', '(ä|Ö)[a-z]+'])
    await utf8(['-x', '-e', 'öl und Öl'])
    await utf8(['-E', '-e', 'b[Ü]ro|É+TÉ'])
    await utf8(['-c', '-e', 'ÄRGER', '-e', 'plain ASCII'])
  })

  it('-m, alone and with -c, -v and trailing context', async () => {
    await same(['-m', '2', '-e', 'ERROR'], 'g1', ['g1:stdout'])
    await same(['-m', '2', '-c', '-e', 'ERROR'], 'g1', ['g1:stdout'])
    await same(['-m', '3', '-v', '-n', '-e', 'ERROR'], 'g1', ['g1:stdout'])
    await same(['-m', '1', '-A', '2', '-e', 'ERROR'], 'g1', ['g1:stdout'])
    await same(['-m', '0', '-e', 'ERROR'], 'g1', ['g1:stdout'])
    await same(['-m', '5', '-n', '-e', 'MATCH'], 'g1', ['g1:big.log'])
  })

  it('-A, -B, -C with line numbers and -- between groups, also across blocks and files', async () => {
    await same(['-C', '1', '-e', 'ERROR'], 'g1', ['g1:stdout'])
    await same(['-n', '-B', '2', '-e', 'ok'], 'g1', ['g1:stdout'])
    await same(['-A', '0', '-e', 'ERROR'], 'g1', ['g1:stdout'])
    await same(['-n', '-C', '3', '-e', 'MATCH'], 'g1', ['g1:big.log'])
    await same(['-B', '7', '-A', '2', '-e', 'MATCH'], 'g1', ['g1:big.log'])
    await same(['-n', '-v', '-C', '1', '-e', 'line'], 'g1', ['g1:big.log'])
    await same(['-o', '-C', '1', '-e', 'ERROR'], 'g1', ['g1:stdout'])
    await same(['-H', '-n', '-C', '1', '-e', 'ERROR'], 'g1', ['g1:stdout', 'g1:big.log'])
  })

  it('-H prefixes a single source; several sources are prefixed as grep prefixes file names', async () => {
    await same(['-H', '-e', 'ERROR'], 'g1', ['g1:stdout'])
    await same(['-H', '-c', '-e', 'MATCH'], 'g1', ['g1:stdout', 'g1:big.log'])
    const r = await mesos(['-C', '1', 'ERROR', 'g', 'stdout'])
    const want = gnu(['-C', '1', 'ERROR', 'g1:stdout', 'g2:stdout'])
    expect(r.stdoutBytes.toString('latin1')).toBe(want.stdout.toString('latin1'))
  })

  it('-e moves the words: the first is the task; no task at all is a usage error', async () => {
    expect((await mesos(['-e', 'in g2', 'g2', 'stdout'])).stdout).toBe('ERROR in g2\n')
    expect((await mesos(['-e', 'in g2', 'g2'])).stdout).toBe('g2:stdout:ERROR in g2\n')
    const missing = await mesos(['-e', 'ERROR'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe('mesos: missing argument TASK\nhint: mesos grep --help\n')
    expect((await mesos(['-m', '-1', 'x', 'g1'])).code).toBe(2)
    const onlyTask = await mesos(['x', '--', '-e'])
    expect(onlyTask.code).toBe(3)
  })

  it('a file with NUL bytes is binary: its first selected line is reported, not printed; -c counts; -a prints', async () => {
    const gnuSays = (source: string) => `grep: ${source}: binary file matches\n`
    const early = await mesos(['ERROR', 'g1', 'core.bin'])
    const want = spawnSync('grep', ['ERROR', 'g1:core.bin'], { cwd: local, env: { PATH: process.env.PATH, LC_ALL: 'C' } })
    expect(want.stderr.toString()).toBe(gnuSays('g1:core.bin'))
    expect({ code: early.code, stdout: early.stdout, stderr: early.stderr }).toEqual({
      code: want.status,
      stdout: want.stdout.toString(),
      stderr: 'mesos: g1:core.bin: binary file matches\n',
    })
    await same(['-c', '-e', 'ERROR'], 'g1', ['g1:core.bin'])
    await same(['-l', '-e', 'ERROR'], 'g1', ['g1:core.bin'])
    await same(['-a', '-n', '-e', 'ERROR'], 'g1', ['g1:core.bin'])
    expect((await mesos(['nothing-like-this', 'g1', 'core.bin'])).code).toBe(1)
    // the NUL after 2 MB: what was printed before it is whole lines of the file; nothing after it
    const late = await mesos(['ERROR', 'g2', 'late.log'])
    expect(late).toMatchObject({ code: 0, stderr: 'mesos: g2:late.log: binary file matches\n' })
    expect(late.stdout).toBe('ERROR line\n'.repeat(late.stdout.length / 11))
    expect(late.stdout.length).toBeGreaterThan(0)
    expect(late.stdout).not.toContain('after the NUL')
  })

  it('-s drops the messages about files that cannot be searched; the status still says so', async () => {
    const r = await mesos(['-s', 'ERROR', 'g2', 'stdout', 'nope.log'])
    expect(r).toMatchObject({ code: 2, stderr: '', stdout: 'g2:stdout:ERROR in g2\ng2:stdout:more ERROR here\n' })
    const loud = await mesos(['ERROR', 'g2', 'stdout', 'nope.log'])
    expect(loud.stderr).toContain('g2:nope.log: no such file')
  })
})
