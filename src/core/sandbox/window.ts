/**
 * Line arithmetic over a file read in windows through `/files/read`, with the reads injected so it
 * is tested without I/O. `tail -n N` reads backwards from the end: a typical call costs one 64 KiB
 * read after the size; lines longer than a window just take more windows.
 */
import { READ_WINDOW } from './files.js'

export type ReadAt = (offset: number, length: number) => Promise<Buffer>

const NL = 0x0a

/** The bytes of the last `n` lines of a file of `size` bytes (a final line without newline counts). */
export async function tailBytes(read: ReadAt, size: number, n: number, window = READ_WINDOW): Promise<Buffer> {
  if (n <= 0 || size <= 0) return Buffer.alloc(0)
  const chunks: Buffer[] = []
  let pos = size
  let newlines = 0
  // A newline as the file's last byte ends the last line; it does not start another.
  let skipLast = true
  while (pos > 0) {
    const start = Math.max(0, pos - window)
    const want = pos - start
    const chunk = (await read(start, want)).subarray(0, want)
    if (chunk.length < want) {
      chunks.unshift(chunk) // the file shrank while we read it: give what we have
      break
    }
    for (let i = chunk.length - 1; i >= 0; i--) {
      if (chunk[i] !== NL) continue
      if (skipLast && start + i === size - 1) continue
      newlines++
      if (newlines === n) {
        chunks.unshift(chunk.subarray(i + 1))
        return Buffer.concat(chunks)
      }
    }
    skipLast = false
    chunks.unshift(chunk)
    pos = start
  }
  return Buffer.concat(chunks)
}

/** The bytes of the first `n` lines: reads forward until `n` newlines or EOF. */
export async function headBytes(read: ReadAt, n: number, window = READ_WINDOW): Promise<Buffer> {
  if (n <= 0) return Buffer.alloc(0)
  const chunks: Buffer[] = []
  let offset = 0
  let newlines = 0
  for (;;) {
    const chunk = await read(offset, window)
    if (chunk.length === 0) break
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] === NL && ++newlines === n) {
        chunks.push(chunk.subarray(0, i + 1))
        return Buffer.concat(chunks)
      }
    }
    chunks.push(chunk)
    offset += chunk.length
  }
  return Buffer.concat(chunks)
}
