/**
 * Running a plugin: `mesos NAME ARGS...` runs `mesos-NAME ARGS...` with our stdin, stdout and
 * stderr, and its exit status becomes ours. Its environment says which cluster and configuration
 * the user chose, so a plugin that calls `mesos` (or reads the config) sees the same settings:
 * MESOS_MASTER (the effective master spec), MESOS_CLI_PROFILE and MESOS_CLI_CONFIG, plus
 * MESOS_CLI_BIN (this executable).
 */
import { spawn } from '../child.js'
import { constants, homedir } from 'node:os'
import { resolve } from 'node:path'
import { defaultWritePath } from '../config/file.js'
import { loadSettings, type Overrides, type Settings } from '../config/settings.js'
import { failure } from '../errors.js'
import type { Plugin } from './find.js'

export function pluginEnv(
  settings: Pick<Settings, 'file' | 'profileName' | 'profile' | 'profileExists' | 'profileSource'>,
  env: NodeJS.ProcessEnv,
  cwd: string,
  home: string,
): NodeJS.ProcessEnv {
  return {
    ...env,
    MESOS_MASTER: settings.profile.master,
    // empty when no profile was named and the implicit one is not in the file: a child `mesos`
    // then chooses exactly as we did, where an explicit name would be refused as unknown
    MESOS_CLI_PROFILE:
      settings.profileExists || settings.profileSource === 'flag' || settings.profileSource === 'env'
        ? settings.profileName
        : '',
    MESOS_CLI_CONFIG: settings.file ?? defaultWritePath({ env, cwd, home }),
    // how to call us back, when `mesos` itself is not on PATH (bin/run.js run by path)
    ...(process.argv[1] ? { MESOS_CLI_BIN: resolve(process.argv[1]) } : {}),
  }
}

/** The environment of a plugin run with these global flags (a malformed config file is exit 2, as for built-ins). */
export async function environmentFor(over: Pick<Overrides, 'profile' | 'master'>): Promise<NodeJS.ProcessEnv> {
  const loc = { env: process.env, cwd: process.cwd(), home: homedir() }
  return pluginEnv(await loadSettings(loc, over), loc.env, loc.cwd, loc.home)
}

/** Runs the plugin to completion; resolves to the exit status to pass on (128+N for a signal). */
export function runPlugin(plugin: Plugin, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(plugin.path, args, { stdio: 'inherit', env })
    // Ctrl-C reaches the plugin through the terminal's process group; we wait for its verdict.
    // A signal sent to us alone is passed on.
    const ignore = () => {}
    const forward = (sig: NodeJS.Signals) => child.kill(sig)
    process.on('SIGINT', ignore)
    process.on('SIGTERM', forward)
    process.on('SIGHUP', forward)
    const done = () => {
      process.off('SIGINT', ignore)
      process.off('SIGTERM', forward)
      process.off('SIGHUP', forward)
    }
    child.on('error', (err) => {
      done()
      reject(failure(`cannot run plugin ${plugin.path}: ${(err as NodeJS.ErrnoException).code ?? err.message}`))
    })
    child.on('exit', (code, signal) => {
      done()
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0))
    })
  })
}
