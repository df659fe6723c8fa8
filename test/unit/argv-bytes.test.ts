/** Arguments that are not UTF-8: their bytes are found again in the process's raw arguments. */
import { describe, expect, it } from 'vitest'
import { argBytes } from '../../src/cli/argv-bytes.js'
import { compilePattern } from '../../src/core/sandbox/grep-pattern.js'

const raw = (...args: Array<string | number[]>) => () => args.map((a) => (typeof a === 'string' ? Buffer.from(a) : Buffer.from(a)))
const decoded = (bytes: number[]) => Buffer.from(bytes).toString('utf8')

describe('argBytes', () => {
  it('gives back the bytes of a value node decoded to U+FFFD, as a word or after -e / --regexp=', () => {
    const latin1 = [0x63, 0x61, 0x66, 0xe9] // "café" in Latin-1
    const ff = [0xff, 0x41]
    const source = raw('node', 'run.js', 'grep', [0x2d, 0x65, ...ff], [0x2d, 0x2d, 0x72, 0x65, 0x67, 0x65, 0x78, 0x70, 0x3d, ...latin1], 'tm')
    const got = argBytes([decoded(ff), decoded(latin1)], source)
    expect(got).toEqual([Buffer.from(ff), Buffer.from(latin1)])
    expect(argBytes([decoded(latin1)], raw('grep', latin1, 'tm'))).toEqual([Buffer.from(latin1)])
  })

  it('two values that decode alike are told apart by their order', () => {
    const a = [0xfe, 0x31]
    const b = [0xff, 0x31]
    expect(argBytes([decoded(a), decoded(b)], raw('x', a, b))).toEqual([Buffer.from(a), Buffer.from(b)])
  })

  it('leaves valid UTF-8 (even a real U+FFFD), and values it cannot find, as they are', () => {
    expect(argBytes(['plain', 'é'], () => null)).toEqual(['plain', 'é'])
    expect(argBytes(['a\uFFFD'], raw('x', 'a\uFFFD'))).toEqual(['a\uFFFD'])
    expect(argBytes(['a\uFFFD'], () => null)).toEqual(['a\uFFFD'])
    expect(argBytes(['a\uFFFD'], raw('x', 'other'))).toEqual(['a\uFFFD'])
  })
})

describe('a pattern of bytes', () => {
  const lines = [Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from('café'), Buffer.from([0x43, 0x41, 0x46, 0xc9]), Buffer.from([0xef, 0xbf, 0xbd])]
  const selected = (pattern: Buffer, o: { fixed?: boolean; ignoreCase?: boolean } = {}) => {
    const m = compilePattern({ pattern, fixed: o.fixed ?? false, extended: false, ignoreCase: o.ignoreCase ?? false })
    return lines.map((l, i) => (m.line.test(l.toString('latin1')) ? i : -1)).filter((i) => i >= 0)
  }

  it('matches those bytes, not U+FFFD and not the UTF-8 of their Latin-1 reading', () => {
    const p = Buffer.from([0x63, 0x61, 0x66, 0xe9])
    expect(selected(p)).toEqual([0])
    expect(selected(p, { fixed: true })).toEqual([0])
    expect(compilePattern({ pattern: p, fixed: true, extended: false, ignoreCase: false }).literal).toEqual(p)
    expect(selected(Buffer.from([0x66, 0xe9, 0x24]))).toEqual([0])
  })

  it('ignores case as Latin-1 text would', () => {
    expect(selected(Buffer.from([0x63, 0x61, 0x66, 0xe9]), { ignoreCase: true })).toEqual([0, 2])
  })

  it('an invalid one is named as it was decoded', () => {
    expect(() => compilePattern({ pattern: Buffer.from([0x5b, 0xff]), fixed: false, extended: false, ignoreCase: false })).toThrow(
      'invalid pattern "[\uFFFD": unmatched [, [^, [:, [., or [=',
    )
  })
})
