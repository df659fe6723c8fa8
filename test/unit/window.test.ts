import { describe, expect, it } from 'vitest'
import { headBytes, type ReadAt, tailBytes } from '../../src/core/sandbox/window.js'

/** A file in memory, read with the files API's rules, counting the reads. */
function file(content: string | Buffer) {
  const buf = Buffer.isBuffer(content) ? content : Buffer.from(content)
  const reads: [number, number][] = []
  const read: ReadAt = async (offset, length) => {
    reads.push([offset, length])
    return buf.subarray(offset, Math.min(buf.length, offset + Math.min(length, 65536)))
  }
  return { buf, read, reads }
}

/** What coreutils tail -n would print. */
function reference(text: string, n: number): string {
  if (n === 0 || text === '') return ''
  const endsWithNl = text.endsWith('\n')
  const lines = (endsWithNl ? text.slice(0, -1) : text).split('\n')
  return lines.slice(-n).join('\n') + (endsWithNl ? '\n' : '')
}

describe('tailBytes', () => {
  it.each([
    ['a\nb\nc\n', 2],
    ['a\nb\nc\n', 3],
    ['a\nb\nc\n', 10],
    ['a\nb\nc', 2], // no trailing newline
    ['a\nb\nc', 1],
    ['\n\n\n', 2], // empty lines
    ['single', 1],
    ['', 5],
    ['x\n', 1],
    ['a\nb\n', 0],
  ])('%j -n %d', async (text, n) => {
    const f = file(text)
    expect((await tailBytes(f.read, f.buf.length, n, 4)).toString()).toBe(reference(text, n))
  })

  it('agrees with the reference for many window sizes and line counts', async () => {
    const text = Array.from({ length: 50 }, (_, i) => 'x'.repeat(i % 7) + `line ${i}`).join('\n') + '\n'
    const f = file(text)
    for (const window of [1, 2, 3, 5, 16, 64, 4096]) {
      for (const n of [1, 2, 7, 49, 50, 51]) {
        expect((await tailBytes(f.read, f.buf.length, n, window)).toString()).toBe(reference(text, n))
      }
    }
  })

  it('costs one read of 64 KiB for -n 10 on a large file', async () => {
    const line = `${'y'.repeat(99)}\n`
    const f = file(line.repeat(20_000)) // 2 MB
    const out = await tailBytes(f.read, f.buf.length, 10)
    expect(out.toString()).toBe(line.repeat(10))
    expect(f.reads).toEqual([[f.buf.length - 65536, 65536]])
  })

  it('handles a last line longer than a window', async () => {
    const long = 'z'.repeat(200_000)
    const f = file(`first\n${long}`)
    expect((await tailBytes(f.read, f.buf.length, 1)).toString()).toBe(long)
    expect(f.reads.length).toBe(4)
  })

  it('is byte-exact on binary data', async () => {
    const bytes = Buffer.from([0xff, 0x00, 0x0a, 0xc3, 0x28, 0x0a, 0x80, 0x81])
    const f = file(bytes)
    expect(await tailBytes(f.read, bytes.length, 1, 3)).toEqual(Buffer.from([0x80, 0x81]))
    expect(await tailBytes(f.read, bytes.length, 2, 3)).toEqual(Buffer.from([0xc3, 0x28, 0x0a, 0x80, 0x81]))
  })
})

describe('headBytes', () => {
  it.each([
    ['a\nb\nc\n', 2, 'a\nb\n'],
    ['a\nb\nc', 5, 'a\nb\nc'],
    ['', 3, ''],
    ['a\nb\n', 0, ''],
  ])('%j -n %d', async (text, n, expected) => {
    const f = file(text)
    expect((await headBytes(f.read, n, 2)).toString()).toBe(expected)
  })

  it('stops reading once it has the lines', async () => {
    const f = file('l\n'.repeat(100_000))
    await headBytes(f.read, 10)
    expect(f.reads).toEqual([[0, 65536]])
  })
})
