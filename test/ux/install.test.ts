/**
 * The book's commands as printed, after a real install: `npm pack`, then `npm i -g --prefix TMP`
 * of the tarball (dependencies from the npm cache, or the registry when the cache lacks one). No
 * warning about install scripts; `complete -C mesos-completion mesos` + TAB in a real bash;
 * `mesos-cat TASK` equals `mesos cat TASK`.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shellJoin } from '../../src/core/ssh/quote.js'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { cleanEnv, ROOT } from '../helpers/cli.js'
import { Tmux } from '../ssh/tmux.js'

const execFileAsync = promisify(execFile)

let root: string
let prefix: string
let install: string
let sim: Simulator
let tmux: Tmux

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesos-ux-install-'))
  prefix = join(root, 'prefix')
  tmux = new Tmux(root)
  // the tree is already built (npm run build): pack it as it is
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', root], { cwd: ROOT, stdio: 'pipe' })
  const tarball = readdirSync(root).find((f) => f.endsWith('.tgz'))!
  const r = spawnSync('npm', ['i', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(root, tarball)], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'warn' },
  })
  install = `${r.stdout}\n${r.stderr}`
  if (r.status !== 0) throw new Error(`npm i -g failed:\n${install}`)
  sim = await startSimulator({ scenario: 'flink', seed: 3, logIntervalMs: 0, liveEvents: false, rateLimit: false, eagerSandboxes: true })
}, 240_000)

afterAll(async () => {
  tmux?.stop()
  await sim?.stop()
  rmSync(root, { recursive: true, force: true })
})

const env = () => {
  const e = cleanEnv(join(root, 'home'), { MESOS_MASTER: sim.masterSpec })
  return { ...e, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` }
}

describe('a global install', () => {
  it('runs no install script and warns about none', () => {
    expect(install).not.toMatch(/install-scripts|allow-scripts|ssh2/)
    const bins = readdirSync(join(prefix, 'bin'))
    for (const b of ['mesos', 'mesos-cat', 'mesos-ps', 'mesos-state', 'mesos-config', 'mesos-resolve', 'mesos-completion', 'mesos-zsh-completion.sh'])
      expect(bins).toContain(b)
  })

  it('mesos-cat TASK prints what mesos cat TASK prints, byte for byte', async () => {
    // asynchronously: the simulator answers from this very process
    const run = async (cmd: string, args: string[]) => (await execFileAsync(cmd, args, { env: env(), encoding: 'buffer' })).stdout
    const a = await run('mesos-cat', ['taskmanager-00001'])
    expect(a.length).toBeGreaterThan(0)
    expect(a.equals(await run('mesos', ['cat', 'taskmanager-00001']))).toBe(true)
  })

  it('complete -C mesos-completion mesos, then TAB in a real bash', async () => {
    const script = join(root, 'bash.sh')
    const e = env()
    writeFileSync(
      join(root, 'rc'),
      `export ${Object.entries(e).map(([k, v]) => `${k}=${shellJoin([v ?? ''])}`).join(' ')}\nPS1='$ '\ncomplete -C mesos-completion mesos\n`,
    )
    writeFileSync(script, `exec bash --noprofile --rcfile ${shellJoin([join(root, 'rc')])} -i\n`)
    tmux.run('new-session', '-d', '-s', 'tab', '-x', '120', '-y', '30', `sh ${script}`)
    await tmux.waitFor('tab', (t) => t.includes('$ '), 'the prompt')
    tmux.keys('tab', 'mesos fram', 'Tab')
    await tmux.waitFor('tab', (t) => t.includes('$ mesos frameworks '), 'the command completed')
    tmux.keys('tab', 'C-u', 'mesos cat taskmanager-0000', 'Tab', 'Tab')
    const screen = await tmux.waitFor('tab', (t) => t.includes('taskmanager-00001') && t.includes('taskmanager-00002'), 'task IDs listed', 20_000)
    expect(screen).toContain('taskmanager-00005')
  }, 60_000)
})
