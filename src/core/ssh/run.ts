/** What the SSH connections of one run share: settings, ~/.ssh/config, the terminal, warnings. */
import { userInfo } from 'node:os'
import type { Deps } from '../deps/index.js'
import { SshConfigFile } from './config.js'
import type { SshRun } from './connect.js'
import type { ProfileSsh, SshFlags } from './options.js'
import { Serial } from './verify.js'

function localUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username
  } catch {
    return env.USER ?? env.LOGNAME ?? 'root'
  }
}

/** The profile's ssh_* keys that were set in the file: defaults must not hide ~/.ssh/config. */
function profileSsh(deps: Deps): ProfileSsh {
  const { profile: p, origin } = deps.settings
  const set = (k: keyof typeof origin) => origin[k] !== undefined && origin[k] !== 'default'
  return {
    user: set('ssh_user') ? p.ssh_user : undefined,
    port: set('ssh_port') ? p.ssh_port : undefined,
    identity: set('ssh_identity') ? p.ssh_identity : undefined,
    jump: set('ssh_jump') ? p.ssh_jump : undefined,
    strict: set('ssh_strict_host_keys') ? p.ssh_strict_host_keys : undefined,
  }
}

export function sshRun(deps: Deps, flags: SshFlags): SshRun {
  const warned = new Set<string>()
  return {
    io: deps.io,
    env: deps.env,
    home: deps.home,
    localUser: localUser(deps.env),
    flags,
    profile: profileSsh(deps),
    config: SshConfigFile.inHome(deps.home),
    serial: new Serial(),
    warnOnce: (text) => {
      if (warned.has(text)) return
      warned.add(text)
      deps.io.warn(text)
    },
    debug: deps.settings.profile.debug ? deps.debug : undefined,
  }
}
