/**
 * `mkdir -p`, the one way the project makes directories. Node 20's own `{ recursive: true }` never
 * returns where mkdir answers ENOENT although the parent exists (`/proc/x`: the kernel refuses new
 * entries there): it climbs to the parent, finds it, tries again, forever, at 100% CPU. Here each
 * directory is tried at most twice, so such a place is an ENOENT error like any other.
 */
import { mkdirSync, statSync } from 'node:fs'
import { mkdir, stat } from 'node:fs/promises'
import { dirname } from 'node:path'

const codeOf = (e: unknown) => (e as NodeJS.ErrnoException).code

export async function makeDirs(path: string, mode?: number): Promise<void> {
  const once = async (): Promise<boolean> => {
    try {
      await mkdir(path, mode === undefined ? undefined : { mode })
      return true
    } catch (e) {
      // another task made it meanwhile, or it was there: fine if it is a directory
      if (codeOf(e) === 'EEXIST' && (await stat(path).then((s) => s.isDirectory(), () => false))) return true
      if (codeOf(e) !== 'ENOENT' || dirname(path) === path) throw e
      return false
    }
  }
  if (await once()) return
  await makeDirs(dirname(path), mode)
  if (!(await once())) await mkdir(path, mode === undefined ? undefined : { mode })
}

export function makeDirsSync(path: string, mode?: number): void {
  const once = (): boolean => {
    try {
      mkdirSync(path, mode === undefined ? undefined : { mode })
      return true
    } catch (e) {
      if (codeOf(e) === 'EEXIST' && isDirSync(path)) return true
      if (codeOf(e) !== 'ENOENT' || dirname(path) === path) throw e
      return false
    }
  }
  if (once()) return
  makeDirsSync(dirname(path), mode)
  if (!once()) mkdirSync(path, mode === undefined ? undefined : { mode })
}

function isDirSync(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
