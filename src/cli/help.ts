/**
 * Help is rendered by oclif (the framework users know from other CLIs) from the oclif commands
 * that src/commands derives from the definitions, so help and parsing read the same grammar. The
 * root help also lists the `mesos-NAME` plugins on PATH.
 */
import { Config, Help } from '@oclif/core'
import { findCommand } from './commands/index.js'
import { listPlugins } from '../core/plugins/find.js'
import { packageRoot } from '../core/paths.js'

export default class MesosHelp extends Help {
  private plugins() {
    const builtIn = new Set(this.config.commands.flatMap((c) => [c.id.split(':')[0]!, ...c.aliases]))
    return listPlugins(process.env).filter((p) => !builtIn.has(p.name))
  }

  protected override async showRootHelp(): Promise<void> {
    await super.showRootHelp()
    const plugins = this.plugins()
    if (plugins.length === 0) return
    const body = this.renderList(
      plugins.map((p) => [p.name, p.path]),
      { indentation: 2, spacer: '\n', stripAnsi: this.opts.stripAnsi },
    )
    this.log(this.section('PLUGINS', body))
    this.log('')
  }
}

/** Prints the help of the command or topic named by `words` (everything when empty). */
export async function renderHelp(words: string[]): Promise<void> {
  const config = await Config.load(packageRoot())
  const found = findCommand(words)
  const id = found ? found.def.id.replaceAll(' ', ':') : words.join(':')
  await new MesosHelp(config).showHelp(id === '' ? [] : [id])
}
