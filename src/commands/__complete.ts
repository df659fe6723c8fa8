import { Command } from '@oclif/core'
import { runComplete } from '../core/completion/main.js'

/**
 * The completion scripts' entry point (protocol: src/core/completion/protocol.ts). bin/run.js
 * answers it before oclif loads; this command serves the same answer when oclif dispatches it
 * (bin/dev.js, or an embedding).
 */
export default class Complete extends Command {
  static override hidden = true
  static override strict = false
  static override summary = 'Completion candidates for the words typed so far (used by the shell scripts).'

  async run(): Promise<void> {
    await runComplete(this.argv)
  }
}
