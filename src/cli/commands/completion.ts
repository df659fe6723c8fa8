import { defineCommand } from '../grammar/types.js'

const SHELLS = ['bash', 'zsh', 'fish'] as const

export default defineCommand({
  id: 'completion',
  summary: 'Print the tab-completion script for bash, zsh or fish.',
  description: `The script completes commands (plugins included), flags, config keys and values, profile names, task IDs (TASK, respecting -i), agent IDs and hostnames (AGENT) and sandbox paths (FILE, PATH) by running "mesos __complete", which answers from the on-disk cache (cache_ttl) or, when the cache is cold, asks the cluster within about a second. The same scripts are in the completions/ directory of the package.

Install for bash: echo 'source <(mesos completion bash)' >> ~/.bashrc
Install for zsh: echo 'source <(mesos completion zsh)' >> ~/.zshrc (after compinit), or, from the original mesos-cli: source mesos-zsh-completion.sh
Install for fish: mkdir -p ~/.config/fish/completions && mesos completion fish > ~/.config/fish/completions/mesos.fish
Bash as the original mesos-cli's book prints it: complete -C mesos-completion mesos`,
  examples: [
    'source <(mesos completion bash)',
    'mkdir -p ~/.zfunc && mesos completion zsh > ~/.zfunc/_mesos',
    'mkdir -p ~/.config/fish/completions && mesos completion fish > ~/.config/fish/completions/mesos.fish',
  ],
  globals: [],
  args: { shell: { description: 'the shell', options: SHELLS, required: true } },
  flags: {},
  async run({ deps, args }) {
    const { completionScript } = await import('../../core/completion/scripts.js')
    await deps.io.out(await completionScript(args.shell as (typeof SHELLS)[number]))
  },
})
