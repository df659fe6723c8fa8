/**
 * grep's pattern dialect, held against GNU grep itself (`LC_ALL=C grep -G/-E`, as Debian ships it):
 * which lines a pattern selects, and which patterns are errors, with grep's words for why.
 */
import { spawnSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SourceLines } from '../../src/core/sandbox/grep-lines.js'
import { compilePattern } from '../../src/core/sandbox/grep-pattern.js'

/** The lines GNU grep selects, or 'error' for its exit 2. */
function gnu(pattern: string, extended: boolean, lines: string[]): string[] | 'error' {
  const r = spawnSync('grep', [extended ? '-E' : '-G', '-n', '--', pattern], {
    input: lines.map((l) => `${l}\n`).join(''),
    env: { PATH: process.env.PATH, LC_ALL: 'C' },
    encoding: 'latin1',
  })
  if (r.status === 2) return 'error'
  if (r.status !== 0 && r.status !== 1) throw new Error(`grep: ${r.status} ${r.stderr}`)
  return r.stdout === '' ? [] : r.stdout.slice(0, -1).split('\n').map((l) => lines[Number(l.slice(0, l.indexOf(':'))) - 1]!)
}

function ours(pattern: string, extended: boolean, lines: string[]): string[] | 'error' {
  let m
  try {
    m = compilePattern({ pattern, fixed: false, extended, ignoreCase: false })
  } catch {
    return 'error'
  }
  return lines.filter((l) => m.line.test(l))
}

const reason = (pattern: string, extended: boolean) => {
  try {
    compilePattern({ pattern, fixed: false, extended, ignoreCase: false })
  } catch (err) {
    return (err as Error).message
  }
  return 'no error'
}

describe('grep pattern dialect', () => {
  // pattern, -E?, lines; each case once against GNU grep
  const cases: Array<[string, boolean, string[]]> = [
    ['a**', true, ['aaa', 'b']],
    ['^a{1,2}{3}$', true, ['aaa', 'aaaaaa', 'aaaaaaa']],
    ['^x{,2}y', true, ['y', 'xxy', 'xxxy']],
    ['^x\\{,2\\}y', false, ['y', 'xxy', 'xxxy']],
    ['*a', false, ['*a', 'a']],
    ['*a', true, ['*a', 'a', 'b']],
    ['+a', true, ['a', 'b']],
    ['a|*b', true, ['b', 'c']],
    ['^*a', true, ['ba', 'c']],
    ['^*a', false, ['*a', 'b*a']],
    ['a^b', false, ['a^b', 'ab']],
    ['a$b', false, ['a$b', 'ab']],
    ['x^', false, ['x^', 'x']],
    ['\\(^a\\)', false, ['a', 'ba']],
    ['a{', true, ['a{', 'a']],
    ['a{1,x}', true, ['a{1,x}', 'a']],
    ['a)', true, ['a)', 'a']],
    ['\\d', false, ['d', '1']],
    ['\\x', true, ['x', '\\x']],
    ['\\n', true, ['n', '\\n']],
    ['a+?', true, ['a', 'b']],
    ['\\s', true, [' ', '\xa0', 'x']],
    ['\\S', true, ['\xa0', ' ']],
    ['\\<b', true, ['a b', 'ab']],
    ['a\\>', true, ['ab', 'ba c']],
    ['a\\|b', false, ['b', 'c']],
    ['a\\|b', true, ['a|b', 'b']],
    ['a|b', false, ['a|b', 'b']],
    ['a\\+', false, ['a', 'b']],
    ['[]a]', true, [']', 'a', 'b']],
    ['[^]a]', true, [']', 'b']],
    ['[\\]', false, ['\\', 'a']],
    ['[a-]', false, ['-', 'b']],
    ['[%--]', false, [',', 'a']],
    ['[[.-.]]', false, ['-', 'a']],
    ['[[=a=]]', false, ['a', 'b']],
    ['(a)\\1', true, ['aa', 'ab']],
    ['\\(a\\)\\(b\\)\\2\\1', false, ['abba', 'abab']],
    ['x$*', true, ['x', 'y']],
    ['(a|)b', true, ['b', 'c']],
  ]
  it.each(cases)('%s (-E: %s) selects what GNU grep selects', (pattern, extended, lines) => {
    const want = gnu(pattern, extended, lines)
    expect(want).not.toBe('error')
    expect(ours(pattern, extended, lines)).toEqual(want)
  })

  it('-o prints the longest match at each place, as POSIX wants (JavaScript takes the first alternative)', () => {
    const lines = ['x abc123 ab', 'abc', 'zab', 'a bc', 'a b c', 'foo_bar foo', 'aaa']
    const only = (pattern: string, o: { word?: boolean; several?: string[] } = {}) => {
      const m = compilePattern({ pattern: o.several ?? pattern, fixed: false, extended: true, ignoreCase: false, word: o.word })
      return new SourceLines(m, { invert: false, output: 'lines', lineNumbers: false, onlyMatching: true, before: 0, after: 0, separators: false })
        .block(Buffer.from(lines.map((l) => `${l}\n`).join(''), 'latin1'))
        .map((x) => x!.text.toString('latin1').slice(0, -1))
    }
    const gnuOnly = (args: string[]) =>
      spawnSync('grep', ['-o', '-E', ...args], { input: lines.map((l) => `${l}\n`).join(''), env: { PATH: process.env.PATH, LC_ALL: 'C' }, encoding: 'latin1' })
        .stdout.split('\n')
        .slice(0, -1)
    for (const p of ['ab|abc123', 'a|ab$', 'a|a b', 'foo|foo_bar', 'a|aa|aaa', '(a|ab)(c|bcd)?']) expect(only(p)).toEqual(gnuOnly(['--', p]))
    expect(only('a|a b', { word: true })).toEqual(gnuOnly(['-w', '--', 'a|a b']))
    expect(only('', { several: ['ab', 'abc'] })).toEqual(gnuOnly(['-e', 'ab', '-e', 'abc']))
  })

  it('several patterns keep their own back-references', () => {
    const m = compilePattern({ pattern: ['\\(a\\)\\1', '\\(b\\)\\1'], fixed: false, extended: false, ignoreCase: false })
    expect(['aa', 'bb', 'ab', 'ba'].filter((l) => m.line.test(l))).toEqual(['aa', 'bb'])
  })

  const errors: Array<[string, boolean, string]> = [
    ['a(', true, 'unmatched ( or \\('],
    ['\\(a', false, 'unmatched ( or \\('],
    ['a\\)', false, 'unmatched ) or \\)'],
    ['a\\{', false, 'unmatched \\{'],
    ['a\\{1', false, 'unmatched \\{'],
    ['a\\{1,x\\}', false, 'invalid content of \\{\\}'],
    ['a{2,1}', true, 'invalid content of \\{\\}'],
    ['a{32768}', true, 'regular expression too big'],
    ['[z-a]', true, 'invalid range end'],
    ['[[:alpha:]-z]', true, 'invalid range end'],
    ['[[:foo:]]', false, 'invalid character class name'],
    ['[:space:]', false, 'character class syntax is [[:space:]], not [:space:]'],
    ['[[.space.]]', false, 'invalid collation character'],
    ['[a', false, 'unmatched [, [^, [:, [., or [='],
    ['a\\', true, 'trailing backslash'],
    ['(a)\\2', true, 'invalid back reference'],
    ['(a\\1)', true, 'invalid back reference'],
  ]
  it.each(errors)('%s (-E: %s) is an error for GNU grep and here, in its words', (pattern, extended, why) => {
    expect(gnu(pattern, extended, ['a'])).toBe('error')
    expect(reason(pattern, extended)).toBe(`invalid pattern "${pattern}": ${why}`)
  })

  it('random patterns select the lines GNU grep selects, and fail where it fails', () => {
    const atoms = ['a', 'b', 'x', '.', '*', '+', '?', '{2}', '{,2}', '{1,}', '{', '}', '(', ')', '|', '^', '$', '[ab]', '[^a]', '\\w', '\\W', '\\s', '\\<', '\\>', '\\b', '\\.', '\\(', '\\)', '\\|', '\\{1\\}', '\\+', '\\?']
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...atoms), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.array(fc.stringMatching(/^[abx .*+?{}()|^$]{0,8}$/), { minLength: 1, maxLength: 8 }),
        (parts, extended, lines) => {
          const pattern = parts.join('')
          // GNU grep's quirks, where its two parsers disagree: a `{` at the start of an expression
          // (after nothing but repetitions), a group of only a repetition (`(*)` is "unmatched ("), and in
          // basic syntax a `$` before a literal `|` or `)`, taken for an anchor
          fc.pre(extended ? !/(^|[(|])[*+?^]*\{/.test(pattern) && !/\([*+?]+\)/.test(pattern) : !/\$[|)]/.test(pattern))
          expect(ours(pattern, extended, lines)).toEqual(gnu(pattern, extended, lines))
        },
      ),
      // a fixed seed: the same patterns on every run (any seed passes as of this writing)
      { seed: 20261202, numRuns: 400 },
    )
  }, 60_000)
})
