/** makeDirs: `mkdir -p` that fails where mkdir fails instead of spinning (node's recursive mkdir under /proc). */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeDirs, makeDirsSync } from '../../src/core/dirs.js'

const root = mkdtempSync(join(tmpdir(), 'mesos-dirs-'))
afterAll(() => rm(root, { recursive: true, force: true }))

describe('makeDirs', () => {
  it('makes every missing parent, with the mode, and is fine when they exist', async () => {
    const deep = join(root, 'a', 'b', 'c')
    await makeDirs(deep, 0o700)
    expect(statSync(deep).isDirectory()).toBe(true)
    expect(statSync(join(root, 'a')).mode & 0o777).toBe(0o700)
    await makeDirs(deep)
    makeDirsSync(join(deep, 'd'))
    expect(statSync(join(deep, 'd')).isDirectory()).toBe(true)
  })

  it('several at once making the same tree all succeed', async () => {
    const at = join(root, 'race', 'x', 'y')
    await Promise.all(Array.from({ length: 8 }, () => makeDirs(at)))
    expect(statSync(at).isDirectory()).toBe(true)
  })

  it('a place where mkdir says ENOENT under an existing parent fails at once, async and sync', async () => {
    await expect(makeDirs('/proc/mesos-dirs-test/below')).rejects.toMatchObject({ code: 'ENOENT' })
    expect(() => makeDirsSync('/proc/mesos-dirs-test')).toThrow(expect.objectContaining({ code: 'ENOENT' }))
  })

  it('a file in the way: EEXIST for the path itself, ENOTDIR below it', async () => {
    const file = join(root, 'file')
    writeFileSync(file, 'x')
    await expect(makeDirs(file)).rejects.toMatchObject({ code: 'EEXIST' })
    await expect(makeDirs(join(file, 'below'))).rejects.toMatchObject({ code: 'ENOTDIR' })
    expect(() => makeDirsSync(join(file, 'below', 'more'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }))
  })
})
