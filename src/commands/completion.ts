import { Args, Command } from '@oclif/core'
import { completionScript, SHELLS } from '../core/completion/scripts.js'
import { createIO } from '../core/output/io.js'

export default class Completion extends Command {
  static override summary = 'Print the tab-completion script for bash, zsh or fish.'
  static override description = `The script completes commands (plugins included), flags, config keys and values, profile names, task IDs (TASK, respecting -i), agent IDs and hostnames (AGENT) and sandbox paths (FILE, PATH) by running "mesos __complete", which answers from the on-disk cache (cache_ttl) or, when the cache is cold, asks the cluster within about a second. The same scripts are in the completions/ directory of the package.

Install for bash: add to ~/.bashrc the line: source <(mesos completion bash)
Install for zsh: mesos completion zsh > "\${fpath[1]}/_mesos" and start a new shell (compinit must run), or add after compinit in ~/.zshrc: source <(mesos completion zsh)
Install for fish: mesos completion fish > ~/.config/fish/completions/mesos.fish`
  static override examples = [
    'source <(<%= config.bin %> completion bash)',
    '<%= config.bin %> completion zsh > ~/.zfunc/_mesos',
    '<%= config.bin %> completion fish > ~/.config/fish/completions/mesos.fish',
  ]
  static override args = {
    shell: Args.string({ description: 'the shell', options: [...SHELLS], required: true }),
  }

  async run(): Promise<void> {
    const { args } = await this.parse(Completion)
    const io = await createIO()
    await io.out(await completionScript(args.shell as (typeof SHELLS)[number]))
  }
}
