/** The SSH flags shared by `ssh` and `scp`. */
import { Flags } from '@oclif/core'
import { STRICT_MODES } from '../core/config/keys.js'
import type { SshFlags } from '../core/ssh/options.js'

export const SSH = 'SSH'

/** The SSH flags of `ssh` and `scp` (spec 5, Remote access); defaults come from the profile and ~/.ssh/config. */
export const sshFlags = {
  user: Flags.string({ char: 'l', description: 'remote user (default: ssh_user, then ~/.ssh/config User, then yours)', helpValue: '<user>', helpGroup: SSH }),
  port: Flags.integer({ char: 'p', description: 'SSH port (default: ssh_port, then ~/.ssh/config Port, then 22)', min: 1, max: 65535, helpValue: '<port>', helpGroup: SSH }),
  'identity-file': Flags.string({
    description: 'private key to offer (repeatable; default: ssh_identity, ~/.ssh/config IdentityFile, ~/.ssh/id_*)',
    multiple: true,
    multipleNonGreedy: true,
    helpValue: '<path>',
    helpGroup: SSH,
  }),
  jump: Flags.string({ char: 'J', description: 'jump host(s), [USER@]HOST[:PORT][,...] (default: ssh_jump, ~/.ssh/config ProxyJump)', helpValue: '<[user@]host[:port]>', helpGroup: SSH }),
  'strict-host-key-checking': Flags.string({
    description: 'unknown host keys: refuse (yes), record (accept-new, no), or ask on a terminal (default: ask)',
    options: [...STRICT_MODES],
    helpValue: '<mode>',
    helpGroup: SSH,
  }),
}

export function sshFlagValues(flags: {
  user?: string
  port?: number
  'identity-file'?: string[]
  jump?: string
  'strict-host-key-checking'?: string
}): SshFlags {
  return {
    user: flags.user,
    port: flags.port,
    identityFile: flags['identity-file'],
    jump: flags.jump,
    strictHostKeyChecking: flags['strict-host-key-checking'] as SshFlags['strictHostKeyChecking'],
  }
}
