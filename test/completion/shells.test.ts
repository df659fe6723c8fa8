/**
 * The completion scripts in real shells (Debian bash, zsh, fish) against the simulator, through the
 * built CLI: the candidates must be what the simulated cluster holds. One TAB per shell goes through
 * a real terminal (tmux).
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { BIN, cleanEnv, ROOT } from '../helpers/cli.js'

const run = promisify(execFile)
const SCRIPTS = join(ROOT, 'completions')

let sim: Simulator
let home: string
let env: NodeJS.ProcessEnv
let activeIds: string[]

const TERMINAL = /^TASK_(FINISHED|FAILED|KILLED|ERROR|LOST|DROPPED|GONE|GONE_BY_OPERATOR)$/

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'flink', logIntervalMs: 0, liveEvents: false, eagerSandboxes: true })
  home = mkdtempSync(join(tmpdir(), 'mesos-shells-'))
  mkdirSync(join(home, 'bin'))
  symlinkSync(BIN, join(home, 'bin', 'mesos'))
  writeFileSync(
    join(home, '.mesos.json'),
    JSON.stringify({ profile: 'default', default: { master: sim.masterSpec }, staging: { master: '127.0.0.1:1' }, prod: {} }),
  )
  // the shells' behaviour is under test, not the TAB deadline: a busy machine may take longer
  env = cleanEnv(home, { PATH: `${join(home, 'bin')}:${process.env.PATH}`, TERM: 'xterm', MESOS_CLI_TAB_DEADLINE_MS: '20000' })
  const state = (await (await fetch(`http://${sim.masterSpec}/master/state`)).json()) as {
    frameworks: { tasks: { id: string; state: string }[]; unreachable_tasks?: { id: string; state: string }[] }[]
  }
  const tasks = state.frameworks.flatMap((f) => [...f.tasks, ...(f.unreachable_tasks ?? [])])
  activeIds = [...new Set(tasks.filter((t) => !TERMINAL.test(t.state)).map((t) => t.id))].sort()
})

afterAll(async () => {
  await sim?.stop()
  if (home) rmSync(home, { recursive: true, force: true })
})

const sorted = (xs: string[]) => [...xs].sort()
const expectedFor = (line: string): string[] => {
  switch (line) {
    case 'mesos ta':
      return ['tail']
    case 'mesos tail task':
      return activeIds.filter((id) => id.startsWith('task'))
    case 'mesos tail taskmanager-00001 fli':
      return readdirSync(sim.sandboxPath('taskmanager-00001')).filter((f) => f.startsWith('fli'))
    case 'mesos config ma':
      return ['master', 'max_workers']
    case 'mesos --prof':
      return ['--profile']
    default:
      throw new Error(line)
  }
}
const LINES = ['mesos ta', 'mesos tail task', 'mesos tail taskmanager-00001 fli', 'mesos config ma', 'mesos --prof']

/** COMP_WORDS as bash builds them: blanks separate words, and = and : are words of their own. */
function bashWords(line: string): string[] {
  const words = line
    .split(/\s+/)
    .filter((w) => w !== '')
    .flatMap((w) => w.split(/([=:])/).filter((p) => p !== ''))
  if (/\s$/.test(line)) words.push('')
  return words
}

async function bash(line: string): Promise<string[]> {
  const words = bashWords(line)
  const script = `source ${join(SCRIPTS, 'mesos.bash')}
COMP_WORDS=("$@"); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}
_mesos; printf '%s\\n' "\${COMPREPLY[@]}"`
  const { stdout } = await run('bash', ['--norc', '--noprofile', '-c', script, 'bash', ...words], { env, cwd: home })
  return stdout.split('\n').filter((l) => l !== '')
}

/** zsh's completion builtins replaced by functions that print what the script hands them. */
async function zsh(line: string): Promise<string[]> {
  const words = line.split(/\s+/).filter((w) => w !== '')
  if (/\s$/.test(line)) words.push('')
  const script = `compdef() { : }
_describe() { local arr=$4; local e; for e in "\${(@P)arr}"; do print -r -- "\${\${e%%:[^\\\\]*}//\\\\:/:}"; done }
compadd() { while [[ $1 == -* && $1 != -- ]]; do [[ $1 == -S ]] && shift; shift; done; [[ $1 == -- ]] && shift; print -rl -- "$@" }
_files() { print -r -- FILES }
source ${join(SCRIPTS, '_mesos')}
words=("$@"); CURRENT=$#; PREFIX=\${words[-1]}
_mesos`
  const { stdout } = await run('zsh', ['-f', '-c', script, 'zsh', ...words], { env, cwd: home })
  return stdout.split('\n').filter((l) => l !== '')
}

async function fish(line: string): Promise<string[]> {
  const script = `source ${join(SCRIPTS, 'mesos.fish')}; complete --do-complete ${JSON.stringify(line)}`
  const { stdout } = await run('fish', ['--no-config', '-c', script], { env, cwd: home })
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t')[0]!)
}

describe.each([
  ['bash', bash],
  ['zsh', zsh],
  ['fish', fish],
])('%s', (_shell, complete) => {
  it.each(LINES)('%s', async (line) => {
    const expected = expectedFor(line)
    expect(expected.length).toBeGreaterThan(0)
    expect(sorted(await complete(line))).toEqual(sorted(expected))
  })

  it('completes a --flag=value word', async () => {
    const got = await complete('mesos --profile=st')
    // bash replaces only the text after "=", zsh and fish the whole word
    expect(got).toEqual(_shell === 'bash' ? ['staging'] : ['--profile=staging'])
  })
})

it('the bash script keeps what precedes a : in the word', async () => {
  writeFileSync(sim.sandboxPath('taskmanager-00001', 'a:b.log'), 'x\n')
  expect(await bash('mesos cat taskmanager-00001 a:')).toEqual(['b.log'])
})

it('mesos completion SHELL prints the scripts of completions/', async () => {
  for (const [shell, file] of [
    ['bash', 'mesos.bash'],
    ['zsh', '_mesos'],
    ['fish', 'mesos.fish'],
  ]) {
    const { stdout } = await run(process.execPath, [BIN, 'completion', shell!], { env, cwd: home })
    const { readFileSync } = await import('node:fs')
    expect(stdout).toBe(readFileSync(join(SCRIPTS, file!), 'utf8'))
  }
})

describe('a real TAB through tmux', () => {
  const socket = `mesos-test-${process.pid}`
  const tmux = (...args: string[]) => run('tmux', ['-L', socket, ...args], { env, cwd: home })

  afterAll(async () => {
    await tmux('kill-server').catch(() => {})
  })

  async function screenUntil(pattern: RegExp, ms = 8000): Promise<string> {
    const until = Date.now() + ms
    let screen = ''
    while (Date.now() < until) {
      screen = (await tmux('capture-pane', '-p', '-t', 'tab')).stdout
      if (pattern.test(screen)) return screen
      await new Promise((r) => setTimeout(r, 100))
    }
    return screen
  }

  it.each([
    ['bash', `PS1='READY$ '; source ${join(SCRIPTS, 'mesos.bash')}`, ['bash', '--norc', '--noprofile', '-i']],
    [
      'zsh',
      `PS1='READY%% '; autoload -Uz compinit; compinit -u -D; source ${join(SCRIPTS, '_mesos')}`,
      ['zsh', '-f', '-i'],
    ],
  ])('%s: TAB completes a task ID and then a sandbox file', async (_shell, setup, argv) => {
    await tmux('new-session', '-d', '-s', 'tab', '-x', '200', '-y', '50', ...argv)
    try {
      await tmux('send-keys', '-t', 'tab', setup, 'Enter')
      expect(await screenUntil(/^READY[$%]\s*$/m)).toMatch(/^READY[$%]\s*$/m)
      await tmux('send-keys', '-t', 'tab', 'mesos tail taskmanager-0000', 'Tab', 'Tab')
      const listing = await screenUntil(/taskmanager-00004/)
      for (const id of activeIds.filter((i) => i.startsWith('taskmanager-0000'))) expect(listing).toContain(id)
      await tmux('send-keys', '-t', 'tab', 'C-u', 'mesos cat taskmanager-00001 fli', 'Tab')
      const line = await screenUntil(/mesos cat taskmanager-00001 flink-taskmanager\.log/)
      expect(line).toMatch(/mesos cat taskmanager-00001 flink-taskmanager\.log/)
    } finally {
      await tmux('kill-session', '-t', 'tab').catch(() => {})
    }
  })
})

describe('a prefix matching more IDs than a TAB lists', () => {
  let big: Simulator
  let line: string
  // 2,500 tasks, the first 500 completed: task-000500 … task-002499 active, grouped by their 9th character
  const groups = Array.from({ length: 20 }, (_, i) => `task-00${String(i + 5).padStart(2, '0')}`)
  beforeAll(async () => {
    big = await startSimulator({ scenario: 'scale', agents: 3, tasks: 2500, frameworks: 1, logIntervalMs: 0, liveEvents: false })
    line = `mesos --master ${big.masterSpec} tail ta`
  })
  afterAll(async () => {
    await big?.stop()
  })

  it.each([
    ['bash', bash],
    ['zsh', zsh],
    ['fish', fish],
  ])('%s is handed the groups (longer prefixes), not 2,000 IDs', async (_shell, complete) => {
    expect(sorted(await complete(line))).toEqual(groups)
  })

  it('bash in a terminal: TAB extends the word to the common prefix without a space, then lists the groups', async () => {
    const socket = `mesos-test-big-${process.pid}`
    const tmux = (...args: string[]) => run('tmux', ['-L', socket, ...args], { env, cwd: home })
    const screenUntil = async (pattern: RegExp, ms = 15_000) => {
      const end = Date.now() + ms
      let screen = ''
      while (Date.now() < end) {
        screen = (await tmux('capture-pane', '-p', '-t', 'big')).stdout
        if (pattern.test(screen)) return screen
        await new Promise((r) => setTimeout(r, 100))
      }
      return screen
    }
    await tmux('new-session', '-d', '-s', 'big', '-x', '200', '-y', '50', 'bash', '--norc', '--noprofile', '-i')
    try {
      await tmux('send-keys', '-t', 'big', `PS1='READY$ '; source ${join(SCRIPTS, 'mesos.bash')}`, 'Enter')
      expect(await screenUntil(/^READY\$\s*$/m)).toMatch(/^READY\$\s*$/m)
      await tmux('send-keys', '-t', 'big', 'clear', 'Enter', line, 'Tab')
      const extended = await screenUntil(/tail task-00\s*$/m)
      expect(extended).toMatch(/tail task-00$/m) // no space: the word is not a whole ID
      // readline lists on the second TAB that changes nothing
      await tmux('send-keys', '-t', 'big', 'Tab', 'Tab')
      const listing = await screenUntil(/task-0024/)
      for (const g of groups) expect(listing).toContain(g)
      expect(listing).not.toMatch(/Display all|task-000500/)
    } finally {
      await tmux('kill-server').catch(() => {})
    }
  })
})
