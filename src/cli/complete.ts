/** The command tree completion works on, derived from the definitions (the same grammar the parser reads). */
import type { CommandSpec } from '../core/completion/commands.js'
import { COMMANDS } from './commands/index.js'
import { GLOBAL_NAMES, flagTable } from './grammar/table.js'
import type { AnyCommand, ArgDef, FlagDef } from './grammar/types.js'

export function completionGrammar(commands: readonly AnyCommand[] = COMMANDS): CommandSpec[] {
  const globals = new Set<string>(GLOBAL_NAMES)
  return commands
    .filter((c) => !c.hidden)
    .map((c) => ({
      words: c.id.split(' '),
      aliases: (c.aliases ?? []).map((a) => a.split(' ')),
      summary: c.summary,
      flags: Object.entries(flagTable(c) as Record<string, FlagDef>)
        .filter(([, f]) => !f.hidden)
        .map(([name, f]) => ({
          name,
          ...(f.char ? { char: f.char } : {}),
          takesValue: f.kind !== 'boolean',
          ...(f.kind === 'string' && f.options ? { options: [...f.options] } : {}),
          description: f.description,
          ...(f.helpValue ? { helpValue: f.helpValue } : {}),
          ...(f.kind === 'list' ? { multiple: true } : {}),
          ...(globals.has(name) ? { global: true } : {}),
          ...(f.completes ? { completes: f.completes } : {}),
        })),
      args: Object.entries(c.args as Record<string, ArgDef>).map(([name, a]) => ({
        name,
        ...(a.options ? { options: [...a.options] } : {}),
        description: a.description,
        ...(a.completes ? { completes: a.completes } : {}),
        ...(a.variadic || a.rest ? { variadic: true } : {}),
        ...(a.givenByFlag ? { givenByFlag: a.givenByFlag } : {}),
      })),
    }))
    .sort((a, b) => (a.words.join(' ') < b.words.join(' ') ? -1 : 1))
}

export async function runCompletion(words: string[]): Promise<never> {
  const { runComplete } = await import('../core/completion/main.js')
  return runComplete(completionGrammar(), words)
}
