import { defineCommand } from '../grammar/types.js'

const SHELLS = ['bash', 'zsh', 'fish'] as const

export default defineCommand({
  id: 'completion',
  summary: 'Print the tab-completion script for bash, zsh or fish.',
  description: `The script completes commands (plugins included), flags, config keys and values, profile names, task IDs (TASK, respecting -i), agent IDs and hostnames (AGENT) and sandbox paths (FILE, PATH) by running "mesos __complete", which answers from the on-disk cache (cache_ttl) or, when the cache is cold, asks the cluster within about a second. The same scripts are in the completions/ directory of the package.

Install for bash: add to ~/.bashrc the line: source <(mesos completion bash)
Install for zsh: mesos completion zsh > "\${fpath[1]}/_mesos" and start a new shell (compinit must run), or add after compinit in ~/.zshrc: source <(mesos completion zsh)
Install for fish: mesos completion fish > ~/.config/fish/completions/mesos.fish`,
  examples: ['source <(mesos completion bash)', 'mesos completion zsh > ~/.zfunc/_mesos', 'mesos completion fish > ~/.config/fish/completions/mesos.fish'],
  globals: [],
  args: { shell: { description: 'the shell', options: SHELLS, required: true } },
  flags: {},
  async run({ deps, args }) {
    const { completionScript } = await import('../../core/completion/scripts.js')
    await deps.io.out(await completionScript(args.shell as (typeof SHELLS)[number]))
  },
})
