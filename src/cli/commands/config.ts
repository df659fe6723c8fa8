import { defineCommand } from '../grammar/types.js'
import { KEY_NAMES, KEYS } from '../../core/config/keys.js'

const keyList = () =>
  KEY_NAMES.map((k) => {
    const d = KEYS[k].default
    return `  ${k.padEnd(22)}${KEYS[k].describe}${d !== undefined ? ` (default ${d})` : ''}`
  }).join('\n')

export default defineCommand({
  id: 'config',
  summary: 'Show or change the configuration (.mesos.json and its profiles).',
  get description() {
    return `Without arguments: the effective configuration of the active profile as JSON (secrets masked unless --show-secrets).
KEY: print one value. KEY VALUE: validate it and save it in the active profile.
profile: print the active profile. profile NAME: switch to profile NAME, creating it if needed.

The file is the first of $MESOS_CLI_CONFIG (if set, only that one), ./.mesos.json, ~/.mesos.json, /etc/.mesos.json, /usr/etc/.mesos.json, /usr/local/etc/.mesos.json; new settings go to ~/.mesos.json. Comments and other profiles are kept; the file is replaced atomically with mode 0600.

Keys:
${keyList()}`
  },
  examples: [
    'mesos config',
    'mesos config master zk://zk1:2181,zk2:2181/mesos',
    'mesos config profile staging',
    'mesos --profile staging config response_timeout 10',
    'mesos config --unset token',
  ],
  globals: ['profile', 'debug', 'no-color'],
  args: {
    key: { description: 'a config key, or "profile"', completes: 'config-key' },
    value: { description: 'new value to save', completes: 'config-value' },
  },
  flags: {
    'show-secrets': { kind: 'boolean', description: 'show secret, token and credentials in clear' },
    unset: { kind: 'boolean', description: 'remove KEY from the active profile' },
    json: { kind: 'boolean', description: 'JSON output (the default without KEY)' },
  },
  async run({ deps, args, flags, render }) {
    const { configure } = await import('../../core/config/service.js')
    const outcome = await configure(deps, {
      key: args.key,
      value: args.value,
      unset: flags.unset,
      showSecrets: flags['show-secrets'],
      profileFlag: flags.profile,
    })
    switch (outcome.kind) {
      case 'all': {
        const s = deps.settings
        deps.io.note(`# profile "${s.profileName}"${s.file ? ` from ${s.file}` : ' (no config file: defaults)'}`, 'dim')
        return render.json(outcome.value)
      }
      case 'value':
        if (flags.json) {
          // numbers and booleans as JSON ones (docs/json.md); strings as shown, secrets masked
          const v = args.key === undefined ? undefined : (deps.settings.profile as unknown as Record<string, unknown>)[args.key]
          return render.json(typeof v === 'number' || typeof v === 'boolean' ? v : (outcome.text ?? null))
        }
        if (outcome.text !== undefined) await render.text(`${outcome.text}\n`)
        return
      case 'saved':
        if (deps.io.stderrIsTTY) deps.io.note(outcome.note)
    }
  },
})
