/**
 * One definition per command: the parser, help (oclif's rendering of the derived command),
 * completion and usage errors all read it, so changing it in that one place changes all four.
 */
import { describe, expect, it } from 'vitest'
import tail from '../../src/cli/commands/tail.js'
import { COMMANDS } from '../../src/cli/commands/index.js'
import { completionGrammar } from '../../src/cli/complete.js'
import { parseCommand } from '../../src/cli/grammar/parse.js'
import { flagTable } from '../../src/cli/grammar/table.js'
import type { AnyCommand } from '../../src/cli/grammar/types.js'
import { oclifCommand } from '../../src/cli/oclif.js'
import { complete, type Sources } from '../../src/core/completion/engine.js'
import { usageMessage } from '../helpers/errors.js'

const noSources = (commands: AnyCommand[]): Sources => ({
  commands: completionGrammar(commands),
  plugins: () => [],
  profiles: () => [],
  configKeys: () => [],
  configValues: () => [],
  tasks: async () => undefined,
  agents: async () => undefined,
  sandbox: async () => undefined,
})

describe('a command definition is the one place', () => {
  it("changing tail's --lines default changes parsing and help alike", () => {
    expect(parseCommand(tail, ['x']).flags.lines).toBe(10)
    const changed: AnyCommand = { ...tail, flags: { ...tail.flags, lines: { ...tail.flags.lines, default: 25 } } }
    expect(parseCommand(changed, ['x']).flags.lines).toBe(25)
    const help = oclifCommand(changed)
    expect((help.flags as Record<string, { default?: unknown }>).lines!.default).toBe(25)
    expect((oclifCommand(tail).flags as Record<string, { default?: unknown }>).lines!.default).toBe(10)
  })

  it('a flag added to a definition is parsed, shown in help, completed, and checked', async () => {
    const withFlag: AnyCommand = {
      ...tail,
      flags: { ...tail.flags, 'max-bytes': { kind: 'integer', char: 'c', description: 'stop after this many bytes', min: 1 } },
    }
    expect(parseCommand(withFlag, ['x', '--max-bytes', '7']).flags['max-bytes']).toBe(7)
    expect(parseCommand(withFlag, ['x', '-c7']).flags['max-bytes']).toBe(7)
    expect(Object.keys(oclifCommand(withFlag).flags)).toContain('max-bytes')
    const c = await complete(noSources([withFlag]), ['tail', '--max'])
    expect(c.candidates.map((x) => x.value)).toEqual(['--max-bytes'])
    expect(usageMessage(() => parseCommand(withFlag, ['x', '--max-bytes', '0']))).toBe('--max-bytes: expected a whole number at least 1, got "0"')
    // and the unchanged definition knows nothing of it
    expect(usageMessage(() => parseCommand(tail, ['x', '--max-bytes', '7']))).toMatch(/^unknown flag --max-bytes/)
  })

  it('every built-in command derives an oclif command with the same flags and arguments', () => {
    for (const def of COMMANDS) {
      const cls = oclifCommand(def)
      expect(Object.keys(cls.flags).sort(), def.id).toEqual(Object.keys(flagTable(def)).sort())
      expect(Object.keys(cls.args), def.id).toEqual(Object.keys(def.args))
      expect(cls.summary).toBe(def.summary)
    }
  })
})

describe('parsing', () => {
  it.each([
    [['x', 'a', 'b'], { task: 'x', file: ['a', 'b'] }],
    [['-n', '3', 'x'], { task: 'x', file: [] }],
    [['x', '--', '-weird-file'], { task: 'x', file: ['-weird-file'] }],
    [['-fn5', 'x'], { task: 'x', file: [] }],
  ])('tail %j', (words, args) => {
    expect(parseCommand(tail, words).args).toEqual(args)
  })

  it('short flags combine, and the first one with a value takes the rest of the word', () => {
    const p = parseCommand(tail, ['-fqn5', 'x'])
    expect(p.flags).toMatchObject({ follow: true, quiet: true, lines: 5 })
  })

  it('-h and --help ask for help anywhere before --', () => {
    expect(parseCommand(tail, ['x', '-h']).help).toBe(true)
    expect(parseCommand(tail, ['--help']).help).toBe(true)
    expect(parseCommand(tail, ['x', '--', '-h']).help).toBe(false)
  })

  it('a rest argument takes everything after its first word, flags included', () => {
    const ssh = COMMANDS.find((c) => c.id === 'ssh')!
    expect(parseCommand(ssh, ['web', 'ls', '-la', '--color']).args).toEqual({ task: 'web', command: ['ls', '-la', '--color'] })
    expect(parseCommand(ssh, ['-t', 'web', '--', 'ls']).args).toEqual({ task: 'web', command: ['ls'] })
  })

  it('a variadic argument leaves the required ones after it (scp FILE... REMOTE_PATH)', () => {
    const scp = COMMANDS.find((c) => c.id === 'scp')!
    expect(parseCommand(scp, ['a', 'b', '/tmp']).args).toEqual({ file: ['a', 'b'], remote_path: '/tmp' })
    expect(usageMessage(() => parseCommand(scp, ['/tmp']))).toBe('missing argument FILE')
  })
})
