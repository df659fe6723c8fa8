import { Args, Flags } from '@oclif/core'
import { MesosCommand } from '../cli/base.js'
import { KEY_NAMES, KEYS } from '../core/config/keys.js'
import { configCommand } from '../core/config/service.js'
import { printJson } from '../core/output/json.js'

const keyList = KEY_NAMES.map((k) => {
  const d = KEYS[k].default
  return `  ${k.padEnd(22)}${KEYS[k].describe}${d !== undefined ? ` (default ${d})` : ''}`
}).join('\n')

export default class Config extends MesosCommand {
  static override summary = 'Show or change the configuration (.mesos.json and its profiles).'
  static override description =
    `Without arguments: the effective configuration of the active profile as JSON (secrets masked unless --show-secrets).
KEY: print one value. KEY VALUE: validate it and save it in the active profile.
profile: print the active profile. profile NAME: switch to profile NAME, creating it if needed.

The file is the first of $MESOS_CLI_CONFIG (if set, only that one), ./.mesos.json, ~/.mesos.json, /etc/.mesos.json, /usr/etc/.mesos.json, /usr/local/etc/.mesos.json; new settings go to ~/.mesos.json. Comments and other profiles are kept; the file is replaced atomically with mode 0600.

Keys:
${keyList}`
  static override examples = [
    '<%= config.bin %> config',
    '<%= config.bin %> config master zk://zk1:2181,zk2:2181/mesos',
    '<%= config.bin %> config profile staging',
    '<%= config.bin %> --profile staging config response_timeout 10',
    '<%= config.bin %> config --unset token',
  ]
  static override args = {
    key: Args.string({ description: 'a config key, or "profile"' }),
    value: Args.string({ description: 'new value to save' }),
  }
  static override flags = {
    'show-secrets': Flags.boolean({ description: 'show secret, token and credentials in clear' }),
    unset: Flags.boolean({ description: 'remove KEY from the active profile' }),
    json: Flags.boolean({ description: 'JSON output (the default without KEY)' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Config)
    const deps = await this.setup(flags)
    const outcome = await configCommand(deps, {
      key: args.key,
      value: args.value,
      unset: flags.unset,
      showSecrets: flags['show-secrets'],
      profileFlag: flags.profile,
    })
    switch (outcome.kind) {
      case 'all':
        if (deps.io.stderrIsTTY) {
          const s = deps.settings
          deps.io.note(
            deps.io.errStyle.dim(
              `# profile "${s.profileName}"${s.file ? ` from ${s.file}` : ' (no config file: defaults)'}`,
            ),
          )
        }
        await printJson(deps.io, outcome.value)
        break
      case 'value':
        if (flags.json) await printJson(deps.io, outcome.text ?? null)
        else if (outcome.text !== undefined) await deps.io.out(`${outcome.text}\n`)
        break
      case 'saved':
        if (deps.io.stderrIsTTY) deps.io.note(outcome.note)
        break
    }
  }
}
