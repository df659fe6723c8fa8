/**
 * What a person at a terminal sees, through a real tmux: tables that fit 80 columns and are whole at
 * 200 or when piped, the spinner while a slow agent keeps ps waiting (and none when stderr is a
 * pipe), colour with an empty NO_COLOR, and a DEBUG meant for another program left alone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shellJoin } from '../../src/core/ssh/quote.js'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { BIN, cleanEnv, runCli } from '../helpers/cli.js'
import { refusedPort } from '../helpers/ports.js'
import { Tmux } from '../ssh/tmux.js'

let root: string
let sim: Simulator
let tmux: Tmux
let n = 0

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesos-ux-tty-'))
  tmux = new Tmux(root)
  sim = await startSimulator({ scenario: 'flink', seed: 7, logIntervalMs: 0, liveEvents: false, rateLimit: false })
}, 60_000)

afterAll(async () => {
  tmux?.stop()
  await sim?.stop()
  rmSync(root, { recursive: true, force: true })
})

const env = (extra: NodeJS.ProcessEnv = {}) => cleanEnv(join(root, 'home'), { MESOS_MASTER: sim.masterSpec, TERM: 'xterm-256color', ...extra })

/** Runs `mesos ARGS` in a new session `width` columns wide; resolves with the screen once it ended. */
async function onTerminal(args: string[], width: number, e: NodeJS.ProcessEnv = env(), escapes = false): Promise<string> {
  const session = `s${++n}`
  const script = join(root, `${session}.sh`)
  writeFileSync(
    script,
    [
      `export ${Object.entries(e).map(([k, v]) => `${k}=${shellJoin([v ?? ''])}`).join(' ')}`,
      shellJoin([process.execPath, BIN, ...args]),
      'echo "EXITED:$?"',
      'sleep 600',
      '',
    ].join('\n'),
  )
  tmux.run('new-session', '-d', '-s', session, '-x', String(width), '-y', '50', `sh ${script}`)
  await tmux.waitFor(session, (t) => t.includes('EXITED:'), `mesos ${args.join(' ')}`, 20_000)
  // -J joins the lines the terminal wrapped: a line wider than the window shows as one long line
  return tmux.run('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-t', session)
}

function tableLines(screen: string): string[] {
  return screen.slice(0, screen.indexOf('EXITED:')).split('\n').filter((l) => l.trim() !== '')
}

describe('tables that fit', () => {
  for (const cmd of ['ps', 'agents', 'frameworks']) {
    it(`${cmd}: no line over 80 columns; whole at 200 and when piped`, async () => {
      const piped = await runCli([cmd], { env: env() })
      expect(piped.code).toBe(0)
      const whole = piped.stdout.trimEnd().split('\n')
      expect(piped.stdout).not.toContain('…')
      expect(Math.max(...whole.map((l) => l.length)), 'the piped table is wider than 80 columns').toBeGreaterThan(80)

      const narrow = tableLines(await onTerminal([cmd], 80))
      expect(narrow).toHaveLength(whole.length)
      for (const l of narrow) expect(l.length, l).toBeLessThanOrEqual(80)
      expect(narrow.join('\n')).toContain('…')
      // shortened IDs stay distinct
      const ids = narrow.slice(1).map((l) => (cmd === 'ps' ? l.trim().split(/\s+/).at(-1) : l.split(/\s+/)[0]))
      expect(new Set(ids).size).toBe(ids.length)

      // ps statistics move between runs: compare what does not (IDs, names, commands)
      const stable = (lines: string[]) => lines.map((l) => (cmd === 'ps' ? l.trim().split(/\s+/).at(-1) : l.trim().split(/\s+/).join(' ')))
      const wide = tableLines(await onTerminal([cmd], 200))
      expect(wide.join('\n')).not.toContain('…')
      expect(stable(wide)).toEqual(stable(whole))

      const optOut = tableLines(await onTerminal([cmd, '--wide', '--no-headers'], 80))
      expect(optOut.join('\n')).not.toContain('…')
      expect(stable(optOut)).toEqual(stable(whole.slice(1)))
    }, 60_000)
  }
})

describe('signs of life', () => {
  it('top piped to a file shows on the terminal what it waits for, then nothing', async () => {
    const session = `s${++n}`
    const script = join(root, `${session}.sh`)
    const e = env({ MESOS_CLI_CACHE_DIR: join(root, 'top-cache') })
    writeFileSync(
      script,
      `export ${Object.entries(e).map(([k, v]) => `${k}=${shellJoin([v ?? ''])}`).join(' ')}\n${shellJoin([process.execPath, BIN, 'top', '-s', '3'])} > ${shellJoin([join(root, 'top.out')])}\necho "EXITED:$?"\nsleep 600\n`,
    )
    tmux.run('new-session', '-d', '-s', session, '-x', '100', '-y', '20', `sh ${script}`)
    const seen = await tmux.waitFor(session, (t) => /measuring CPU use over 3s/.test(t), 'the spinner', 15_000)
    expect(seen).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] measuring CPU use over 3s/)
    const end = await tmux.waitFor(session, (t) => t.includes('EXITED:'), 'the end of top', 20_000)
    expect(end).toContain('EXITED:0')
    expect(end).not.toContain('measuring')
  }, 60_000)

  it('a spinner names the agent ps waits for, then goes away; none when stderr is a pipe', async () => {
    const slow = sim.task('taskmanager-00001').agentId
    sim.slowAgent(slow, 4000)
    try {
      const session = `s${++n}`
      const script = join(root, `${session}.sh`)
      const e = env({ MESOS_CLI_CACHE_DIR: join(root, 'spin-cache') })
      writeFileSync(
        script,
        `export ${Object.entries(e).map(([k, v]) => `${k}=${shellJoin([v ?? ''])}`).join(' ')}\n${shellJoin([process.execPath, BIN, 'ps'])} > ${shellJoin([join(root, 'ps.out')])}\necho "EXITED:$?"\nsleep 600\n`,
      )
      tmux.run('new-session', '-d', '-s', session, '-x', '100', '-y', '20', `sh ${script}`)
      const seen = await tmux.waitFor(session, (t) => /waiting for 1 of \d+ agents/.test(t), 'the spinner', 15_000)
      expect(seen).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] waiting for 1 of \d+ agents/)
      const end = await tmux.waitFor(session, (t) => t.includes('EXITED:'), 'the end of ps', 20_000)
      expect(end).toContain('EXITED:0')
      expect(end).not.toContain('waiting for')

      const piped = await runCli(['ps'], { env: e })
      expect(piped.code).toBe(0)
      expect(piped.stderr).toBe('')
    } finally {
      sim.slowAgent(slow, 0)
    }
  }, 60_000)

  it('tail -f prints one start line on a terminal', async () => {
    const session = `s${++n}`
    const script = join(root, `${session}.sh`)
    writeFileSync(
      script,
      `export ${Object.entries(env({ NO_COLOR: '' })).map(([k, v]) => `${k}=${shellJoin([v ?? ''])}`).join(' ')}\n${shellJoin([process.execPath, BIN, 'tail', '-f', 'taskmanager'])} > /dev/null\n`,
    )
    tmux.run('new-session', '-d', '-s', session, '-x', '100', '-y', '20', `sh ${script}`)
    const text = await tmux.waitFor(session, (t) => /following \d+ tasks; Ctrl-C to stop/.test(t), 'the start line')
    expect(text.match(/following/g)).toHaveLength(1)
    // the start line is dim (SGR 2), as the spec's signs of life are
    expect(tmux.run('capture-pane', '-p', '-e', '-t', session)).toMatch(/\x1b\[2m[^\n]*following \d+ tasks/)
    tmux.keys(session, 'C-c')
  })
})

describe('environment conventions', () => {
  it('an empty NO_COLOR keeps colour on a terminal; a non-empty one turns it off', async () => {
    const coloured = await onTerminal(['ls', 'no-such-task'], 100, env({ NO_COLOR: '' }), true)
    expect(coloured).toContain('\x1b[31mmesos:')
    const plain = await onTerminal(['ls', 'no-such-task'], 100, env({ NO_COLOR: '1' }), true)
    expect(plain).toContain('mesos: ')
    expect(plain).not.toContain('\x1b[31m')
  })

  it('DEBUG=express:* is not ours; DEBUG=mesos and MESOS_CLI_DEBUG are', async () => {
    const theirs = await runCli(['resolve'], { env: env({ DEBUG: 'express:*' }) })
    expect(theirs.code).toBe(0)
    expect(theirs.stderr).not.toContain('[debug]')
    for (const ours of [{ DEBUG: 'express:*,mesos' }, { DEBUG: '1' }, { MESOS_CLI_DEBUG: '1' }]) {
      const r = await runCli(['resolve'], { env: env(ours) })
      expect(r.stderr, JSON.stringify(ours)).toContain('[debug]')
    }
  })

  it('--debug prints the stack of an error, and of its cause', async () => {
    const port = await refusedPort()
    const plain = await runCli(['ps', '--master', `127.0.0.1:${port}`], { env: env() })
    expect(plain.code).toBe(4)
    expect(plain.stderr).not.toMatch(/^\s+at /m)
    const r = await runCli(['ps', '--debug', '--master', `127.0.0.1:${port}`], { env: env() })
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(/^mesos: /m)
    expect(r.stderr).toMatch(/^\s+at /m)
  })
})
