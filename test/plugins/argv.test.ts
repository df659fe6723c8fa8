import { describe, expect, it } from 'vitest'
import { splitLeadingGlobals } from '../../src/core/plugins/argv.js'

describe('global flags before the command name', () => {
  it.each([
    [['ps'], [], ['ps'], {}],
    [['--profile', 'staging', 'ps', '-i'], ['--profile', 'staging'], ['ps', '-i'], { profile: 'staging' }],
    [['--master=m:5050', '--debug', 'my-plugin', 'a'], ['--master', 'm:5050', '--debug'], ['my-plugin', 'a'], { master: 'm:5050', debug: true }],
    [['--timeout', '3', '--no-color', 'ls'], ['--timeout', '3', '--no-color'], ['ls'], { timeout: '3', noColor: true }],
    [['--bogus', 'ps'], [], ['--bogus', 'ps'], {}],
    [['--profile'], [], ['--profile'], {}],
    [['--', 'ps'], [], ['--', 'ps'], {}],
  ])('%j', (words, flags, rest, fields) => {
    const g = splitLeadingGlobals(words)
    expect(g.flags).toEqual(flags)
    expect(g.rest).toEqual(rest)
    expect(g).toMatchObject(fields)
  })
})
