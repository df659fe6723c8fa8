/**
 * The fast path parses the hot commands without oclif: its flag tables must stay identical to the
 * oclif commands' (names, short forms, boolean or valued), or the two would accept different input.
 */
import { describe, expect, it } from 'vitest'
import { globalFlags } from '../../src/cli/base.js'
import { FAST_COMMANDS, GLOBAL_OPTIONS } from '../../src/cli/fast.js'
import Cat from '../../src/commands/cat.js'
import Find from '../../src/commands/find.js'
import Head from '../../src/commands/head.js'
import Ls from '../../src/commands/ls.js'
import Resolve from '../../src/commands/resolve.js'
import Tail from '../../src/commands/tail.js'

type FlagDef = { type: string; char?: string }
const normal = (flags: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(flags as Record<string, FlagDef>).map(([name, f]) => [
      name,
      { type: f.type === 'boolean' ? 'boolean' : 'string', ...(f.char ? { short: f.char } : {}) },
    ]),
  )

const commands = { resolve: Resolve, ls: Ls, find: Find, cat: Cat, head: Head, tail: Tail }

describe('fast path flag tables', () => {
  it('global flags match', () => {
    expect(GLOBAL_OPTIONS).toEqual(normal(globalFlags))
  })

  it.each(Object.entries(commands))('%s matches its oclif command', (id, cls) => {
    expect(FAST_COMMANDS[id]!.options).toEqual(normal(cls.flags))
    const args = Object.values(cls.args as Record<string, { required?: boolean }>)
    expect(FAST_COMMANDS[id]!.min).toBe(args.filter((a) => a.required).length)
    if (cls.strict !== false) expect(FAST_COMMANDS[id]!.max).toBe(args.length)
    else expect(FAST_COMMANDS[id]!.max).toBe(Number.POSITIVE_INFINITY)
  })
})
