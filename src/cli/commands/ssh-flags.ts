/** The SSH flags shared by `ssh` and `scp` (spec 5, Remote access); defaults come from the profile and ~/.ssh/config. */
import { STRICT_MODES } from '../../core/config/keys.js'
import type { SshFlags } from '../../core/ssh/options.js'
import type { FlagDef } from '../grammar/types.js'

const SSH = 'SSH'

export const sshFlags = {
  user: { kind: 'string', char: 'l', description: 'remote user (default: ssh_user, then ~/.ssh/config User, then yours)', helpValue: '<user>', group: SSH },
  port: { kind: 'integer', char: 'p', description: 'SSH port (default: ssh_port, then ~/.ssh/config Port, then 22)', min: 1, max: 65535, helpValue: '<port>', group: SSH },
  'identity-file': {
    kind: 'list',
    description: 'private key to offer (repeatable; default: ssh_identity, ~/.ssh/config IdentityFile, ~/.ssh/id_*)',
    helpValue: '<path>',
    group: SSH,
    completes: 'local-file',
  },
  jump: { kind: 'string', char: 'J', description: 'jump host(s), [USER@]HOST[:PORT][,...] (default: ssh_jump, ~/.ssh/config ProxyJump)', helpValue: '<[user@]host[:port]>', group: SSH },
  'strict-host-key-checking': {
    kind: 'string',
    description: 'unknown host keys: refuse (yes), record (accept-new, no), or ask on a terminal (default: ask)',
    options: STRICT_MODES,
    helpValue: '<mode>',
    group: SSH,
  },
} as const satisfies Record<string, FlagDef>

export function sshFlagValues(flags: {
  user?: string
  port?: number
  'identity-file': string[]
  jump?: string
  'strict-host-key-checking'?: string
}): SshFlags {
  return {
    user: flags.user,
    port: flags.port,
    identityFile: flags['identity-file'].length > 0 ? flags['identity-file'] : undefined,
    jump: flags.jump,
    strictHostKeyChecking: flags['strict-host-key-checking'] as SshFlags['strictHostKeyChecking'],
  }
}
