/**
 * An oclif command derived from a definition. oclif discovers these (src/commands) to build the
 * manifest and render help; running one goes through the one runner like every other run.
 */
import { Args, Command, Flags } from '@oclif/core'
import { argsUsage, flagTable, labelOf } from './grammar/table.js'
import type { AnyCommand, ArgDef, FlagDef } from './grammar/types.js'

const bin = (example: string) => example.replace(/^mesos /, '<%= config.bin %> ')

function toFlag(f: FlagDef) {
  const common = { description: f.description, char: f.char as never, helpGroup: f.group, hidden: f.hidden, helpValue: f.helpValue }
  switch (f.kind) {
    case 'boolean':
      return Flags.boolean(common)
    case 'list':
      return Flags.string({ ...common, multiple: true })
    case 'string':
      return Flags.string({ ...common, options: f.options ? [...f.options] : undefined, default: f.default })
    case 'integer':
      return Flags.integer({ ...common, min: f.min, max: f.max, default: f.default })
    case 'seconds':
      return Flags.string({ ...common, helpValue: f.helpValue ?? '<seconds>', default: f.default === undefined ? undefined : String(f.default) })
  }
}

function toArg(name: string, a: ArgDef) {
  const label = `${labelOf(name, a)}${a.variadic || a.rest ? '...' : ''}`
  return Args.string({ name: label, description: a.description, required: a.required, options: a.options ? [...a.options] : undefined })
}

export function oclifCommand(def: AnyCommand): typeof Command {
  const argDefs = Object.entries(def.args as Record<string, ArgDef>)
  return class extends Command {
    static override summary = def.summary
    static override description = def.description
    static override examples = (def.examples ?? []).map(bin)
    static override aliases = [...(def.aliases ?? [])]
    static override hidden = def.hidden ?? false
    static override usage = `<%= command.id %> ${def.usage ?? `${argsUsage(def)} [FLAGS]`.trim()}`
    // help only: oclif never parses these words (src/cli/grammar/parse.ts does)
    static override strict = true
    static override args = Object.fromEntries(argDefs.map(([n, a]) => [n, toArg(n, a)]))
    static override flags = Object.fromEntries(Object.entries(flagTable(def)).map(([n, f]) => [n, toFlag(f)]))

    async run(): Promise<void> {
      const { runCli } = await import('./main.js')
      process.exitCode = await runCli([...def.id.split(' '), ...this.argv], { process: true })
    }
  }
}
