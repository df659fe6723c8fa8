/** `mesos --version`: the package's name and version, the platform and Node's version. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../core/paths.js'

export function versionLine(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { name: string; version: string }
  return `${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`
}
