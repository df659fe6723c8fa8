/** Help everywhere (spec 1.1): -h and --help on every command, and `mesos help CMD` prints the same text. */
import { describe, expect, it } from 'vitest'
import { COMMANDS } from '../../src/cli/commands/index.js'
import { runCli } from '../helpers/cli.js'

describe('help', () => {
  it('mesos, mesos -h, mesos --help and mesos help print the root help', async () => {
    const runs = await Promise.all([[], ['-h'], ['--help'], ['help']].map((a) => runCli(a)))
    for (const r of runs) {
      expect(r.code).toBe(0)
      expect(r.stdout).toBe(runs[0]!.stdout)
    }
    for (const def of COMMANDS.filter((c) => !c.hidden && !c.id.includes(' '))) expect(runs[0]!.stdout).toContain(def.id)
  })

  it.each(COMMANDS.filter((c) => !c.hidden).map((c) => [c.id]))('%s: -h, --help and help CMD are the same text', async (id) => {
    const words = id.split(' ')
    const [short, long, viaHelp] = await Promise.all([runCli([...words, '-h']), runCli([...words, '--help']), runCli(['help', ...words])])
    for (const r of [short, long, viaHelp]) {
      expect(r.code).toBe(0)
      expect(r.stderr).toBe('')
    }
    expect(long.stdout).toBe(short.stdout)
    expect(viaHelp.stdout).toBe(short.stdout)
    expect(short.stdout).toContain(COMMANDS.find((c) => c.id === id)!.summary)
    expect(short.stdout).toContain(`$ mesos ${id}`)
  })
})
