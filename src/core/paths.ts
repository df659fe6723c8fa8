/**
 * Where the installed package lives. Modules may run from dist/ as compiled or from one bundled
 * file, so paths to the package's own files (completion scripts, helper scripts) are found from
 * its root, never relative to a module.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let root: string | undefined

export function packageRoot(): string {
  if (root) return root
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  root = dir
  return dir
}
