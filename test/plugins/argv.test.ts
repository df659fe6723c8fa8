import { describe, expect, it } from 'vitest'
import { globalTable } from '../../src/cli/grammar/table.js'
import { splitLeadingGlobals } from '../../src/core/plugins/argv.js'

describe('global flags before the command name', () => {
  it.each([
    [['ps'], [], ['ps'], {}],
    [['--profile', 'staging', 'ps', '-i'], ['--profile', 'staging'], ['ps', '-i'], { profile: 'staging' }],
    [['--master=m:5050', '--debug', 'my-plugin', 'a'], ['--master', 'm:5050', '--debug'], ['my-plugin', 'a'], { master: 'm:5050', debug: true }],
    [['--timeout', '3', '--no-color', 'ls'], ['--timeout', '3', '--no-color'], ['ls'], { timeout: '3', 'no-color': true }],
    [['--bogus', 'ps'], [], ['--bogus', 'ps'], {}],
    [['--profile'], [], ['--profile'], {}],
    [['--', 'ps'], [], ['--', 'ps'], {}],
  ])('%j', (words, flags, rest, values) => {
    const g = splitLeadingGlobals(words, globalTable())
    expect(g.flags).toEqual(flags)
    expect(g.rest).toEqual(rest)
    expect(g.values).toEqual(values)
  })
})
