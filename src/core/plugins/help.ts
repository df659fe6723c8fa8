/**
 * `mesos help` and `mesos --help` with plugins: the root help gains a PLUGINS section listing the
 * `mesos-NAME` executables on PATH (built-ins of the same name are left out: they win), and
 * `mesos help NAME` for a plugin runs `mesos-NAME --help`.
 */
import { Help } from '@oclif/core'
import { findPlugin, listPlugins } from './find.js'
import { environmentFor, runPlugin } from './run.js'

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

  override async showHelp(argv: string[]): Promise<void> {
    const words = argv.filter((a) => !a.startsWith('-'))
    const name = words[0]
    if (words.length === 1 && name && !this.config.findCommand(name) && !this.config.findTopic(name)) {
      const plugin = findPlugin(name, process.env)
      if (plugin) {
        process.exitCode = await runPlugin(plugin, ['--help'], await environmentFor({}))
        return
      }
    }
    await super.showHelp(argv)
  }
}
