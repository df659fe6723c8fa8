/**
 * Plugins are git-style: an executable `mesos-NAME` on PATH adds the command `mesos NAME` (spec
 * section 5). The first one on PATH wins, as the shell would choose it.
 */
import { accessSync, constants, readdirSync, statSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'

export const PLUGIN_PREFIX = 'mesos-'

export interface Plugin {
  name: string
  path: string
}

function pathDirs(env: NodeJS.ProcessEnv): string[] {
  // relative PATH entries (".", "") would make the current directory a source of commands: skip them
  return [...new Set((env.PATH ?? '').split(delimiter).filter((d) => d !== '' && isAbsolute(d)))]
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Programs Apache Mesos itself installs as `mesos-*` (its daemons, tools and deploy scripts), found
 * on PATH on every master and agent host: they are not plugins, and `mesos agent` starting an agent
 * daemon would be a nasty surprise (MESOS-3149).
 */
const MESOS_PROGRAMS = new Set(['agent', 'master', 'slave', 'local', 'log', 'execute', 'tests'])

/** A plugin name is one word: letters, digits, `.`, `_`, `-`, not starting with `-`. */
export function isPluginName(name: string): boolean {
  return /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/.test(name) && !MESOS_PROGRAMS.has(name) && !name.endsWith('.sh')
}

/** The executable for `mesos NAME`, if there is one on PATH. */
export function findPlugin(name: string, env: NodeJS.ProcessEnv = process.env): Plugin | undefined {
  if (!isPluginName(name)) return undefined
  for (const dir of pathDirs(env)) {
    const path = join(dir, PLUGIN_PREFIX + name)
    if (isExecutableFile(path)) return { name, path }
  }
  return undefined
}

/** Every plugin on PATH, by name, first occurrence winning; built-in names are left out by callers. */
export function listPlugins(env: NodeJS.ProcessEnv = process.env): Plugin[] {
  const found = new Map<string, Plugin>()
  for (const dir of pathDirs(env)) {
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      continue
    }
    for (const file of names) {
      if (!file.startsWith(PLUGIN_PREFIX)) continue
      const name = file.slice(PLUGIN_PREFIX.length)
      if (found.has(name) || !isPluginName(name)) continue
      const path = join(dir, file)
      if (isExecutableFile(path)) found.set(name, { name, path })
    }
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : 1))
}
