/** `mesos-NAME` plugins on PATH, through the built CLI. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator } from '../../src/sim/index.js'
import { cleanEnv, ROOT, runCli } from '../helpers/cli.js'

let home: string
let bin: string
let env: NodeJS.ProcessEnv

function plugin(dir: string, name: string, body: string): void {
  const path = join(dir, `mesos-${name}`)
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'mesos-plugins-'))
  bin = join(home, 'bin')
  const later = join(home, 'bin-later')
  mkdirSync(bin)
  mkdirSync(later)
  plugin(
    bin,
    'probe',
    `for a in "$@"; do printf 'arg=[%s]\\n' "$a"; done
printf 'MESOS_MASTER=%s\\nMESOS_CLI_PROFILE=%s\\nMESOS_CLI_CONFIG=%s\\n' "$MESOS_MASTER" "$MESOS_CLI_PROFILE" "$MESOS_CLI_CONFIG"
echo "to stderr" >&2
exit 7`,
  )
  plugin(bin, 'upper', `tr a-z A-Z`)
  plugin(bin, 'killed', `kill -TERM $$`)
  plugin(bin, 'config', `echo "plugin config ran"`) // a built-in of the same name wins
  plugin(bin, 'sim', `echo "plugin sim ran"`) // and so does a built-in topic
  plugin(bin, 'agent', `echo "an agent daemon started"`) // Apache Mesos' own programs are no plugins
  plugin(bin, 'daemon.sh', `echo "a deploy script ran"`)
  plugin(later, 'probe', `echo "the second probe on PATH"; exit 0`)
  writeFileSync(join(bin, 'mesos-notexec'), '#!/bin/sh\necho no\n')
  writeFileSync(
    join(home, '.mesos.json'),
    JSON.stringify({ profile: 'default', default: { master: 'a.example:5050' }, staging: { master: 'zk://z1:2181/mesos' } }),
  )
  env = cleanEnv(home, { PATH: `${bin}:${later}:${process.env.PATH}` })
})
afterAll(() => rmSync(home, { recursive: true, force: true }))

const mesos = (args: string[], opts: { extra?: NodeJS.ProcessEnv; input?: string } = {}) =>
  runCli(args, { env: { ...env, ...opts.extra }, cwd: home, input: opts.input })

describe('running a plugin', () => {
  it('passes its arguments untouched, its stderr and its exit status', async () => {
    const r = await mesos(['probe', 'two words', 'a:b', '--flag=x', '-i', '--', '$HOME'])
    expect(r.code).toBe(7)
    expect(r.stdout).toContain('arg=[two words]\narg=[a:b]\narg=[--flag=x]\narg=[-i]\narg=[--]\narg=[$HOME]\n')
    expect(r.stderr).toBe('to stderr\n')
  })

  it('sets MESOS_MASTER, MESOS_CLI_PROFILE and MESOS_CLI_CONFIG from the effective settings', async () => {
    const r = await mesos(['probe'])
    expect(r.stdout).toContain(
      `MESOS_MASTER=a.example:5050\nMESOS_CLI_PROFILE=default\nMESOS_CLI_CONFIG=${join(home, '.mesos.json')}\n`,
    )
    const byEnv = await mesos(['probe'], { extra: { MESOS_CLI_PROFILE: 'staging' } })
    expect(byEnv.stdout).toContain('MESOS_MASTER=zk://z1:2181/mesos\nMESOS_CLI_PROFILE=staging\n')
  })

  it('no profile named and none in the file: MESOS_CLI_PROFILE is empty, so a child mesos chooses the same way', async () => {
    const r = await mesos(['probe'], { extra: { MESOS_CLI_CONFIG: join(home, 'none.json') } })
    expect(r.stdout).toContain(`MESOS_MASTER=localhost:5050\nMESOS_CLI_PROFILE=\nMESOS_CLI_CONFIG=${join(home, 'none.json')}\n`)
  })

  it('global flags before the plugin name set its environment', async () => {
    const r = await mesos(['--profile', 'staging', 'probe', 'x'])
    expect(r.stdout).toContain('arg=[x]\nMESOS_MASTER=zk://z1:2181/mesos\nMESOS_CLI_PROFILE=staging\n')
    const m = await mesos(['--master=b.example:5050', 'probe'])
    expect(m.stdout).toContain('MESOS_MASTER=b.example:5050\nMESOS_CLI_PROFILE=default\n')
  })

  it('inherits stdin', async () => {
    const r = await mesos(['upper'], { input: 'hello\n' })
    expect(r.stdout).toBe('HELLO\n')
    expect(r.code).toBe(0)
  })

  it('a plugin killed by a signal exits 128+N', async () => {
    expect((await mesos(['killed'])).code).toBe(143)
  })

  it('a built-in always wins over a plugin of the same name', async () => {
    const r = await mesos(['config', 'master'])
    expect(r.stdout).toBe('a.example:5050\n')
    expect(r.stdout).not.toContain('plugin config ran')
  })

  it('a built-in topic wins over a plugin of the same name', async () => {
    const r = await mesos(['sim', 'upp'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('did you mean "sim up"?')
    expect(r.stdout).not.toContain('plugin sim ran')
    expect((await mesos(['help'])).stdout).not.toContain('mesos-sim')
  })

  it("Apache Mesos' own mesos-* programs are not plugins", async () => {
    const r = await mesos(['agent'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('did you mean "agents"?')
    expect((await mesos(['daemon.sh'])).stdout).toBe('')
    const help = (await mesos(['help'])).stdout
    expect(help).not.toContain('mesos-agent')
    expect(help).not.toContain('mesos-daemon.sh')
  })

  it('global flags before a built-in reach it', async () => {
    const r = await mesos(['--profile', 'staging', 'config', 'master'])
    expect(r.stdout).toBe('zk://z1:2181/mesos\n')
    expect(r.code).toBe(0)
  })

  it('an unknown command without a plugin: exit 2 with the nearest built-in', async () => {
    const r = await mesos(['tial', 'x'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('mesos: unknown command')
    expect(r.stderr).toContain('did you mean "tail"?')
    expect(r.stdout).toBe('')
    // a file that is not executable is no plugin
    expect((await mesos(['notexec'])).code).toBe(2)
  })
})

describe('help and completion know plugins', () => {
  it('mesos help lists plugins beside built-ins, without the shadowed ones', async () => {
    const r = await mesos(['help'])
    expect(r.code).toBe(0)
    const plugins = r.stdout.slice(r.stdout.indexOf('PLUGINS'))
    expect(r.stdout).toMatch(/COMMANDS[\s\S]*tail[\s\S]*PLUGINS/)
    expect(plugins).toMatch(/ {2}probe +\S*bin\/mesos-probe\n/)
    expect(plugins).toContain('upper')
    expect(plugins).not.toContain('mesos-config')
    expect(plugins).not.toContain('notexec')
    expect((await mesos(['--help'])).stdout).toContain('PLUGINS')
  })

  it('mesos help PLUGIN runs the plugin with --help', async () => {
    const r = await mesos(['help', 'probe'])
    expect(r.stdout).toContain('arg=[--help]')
    expect(r.code).toBe(7)
  })

  it('plugins complete like built-ins', async () => {
    const r = await mesos(['__complete', 'pro'])
    expect(r.stdout).toMatch(/^probe\tplugin \S+mesos-probe\n:0\n$/)
    const all = await mesos(['__complete', ''])
    expect(all.stdout).toContain('\nupper\t')
    expect(all.stdout).not.toContain('notexec')
    expect(all.stdout.match(/^config\t.*$/m)?.[0]).not.toContain('plugin')
  })
})

describe('the example plugin (examples/mesos-wholeads)', () => {
  it('calls mesos resolve --json on the cluster the user chose', async () => {
    const sim = await startSimulator({ scenario: 'hello', logIntervalMs: 0, liveEvents: false })
    try {
      const extra = { PATH: `${join(ROOT, 'examples')}:${process.env.PATH}` }
      const r = await mesos(['--master', sim.masterSpec, 'wholeads'], { extra })
      expect(r.stderr).toBe('')
      expect(r.stdout).toMatch(new RegExp(`^${sim.masterSpec.replaceAll('.', '\\.')}.*Mesos 1\\.11\\.0, found via redirect \\(profile default\\)\n$`))
      expect(r.code).toBe(0)
      const j = await mesos(['--profile', 'staging', '--master', sim.masterSpec, 'wholeads', '--json'], { extra })
      expect(JSON.parse(j.stdout)).toMatchObject({ leader: sim.masterSpec, source: 'redirect', profile: 'staging' })
      const down = await mesos(['--master', '127.0.0.1:1', 'wholeads'], { extra })
      expect(down.code).toBe(4) // mesos's own exit status comes through both layers
      expect(down.stderr).toContain('mesos: cannot reach master 127.0.0.1:1')
    } finally {
      await sim.stop()
    }
  })
})
