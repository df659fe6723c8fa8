/**
 * The command tree completion works on, read from `oclif.manifest.json` (written at build time), so
 * that a TAB never loads oclif or a command module. New commands appear without any change here.
 */
import { readFileSync } from 'node:fs'

export interface FlagSpec {
  name: string
  char?: string
  /** An option flag (`--name VALUE`); otherwise a boolean. */
  takesValue: boolean
  options?: string[]
  description?: string
  helpValue?: string
  allowNo?: boolean
  /** May be given more than once (`--identity-file`). */
  multiple?: boolean
  /** One of the flags every cluster command takes (spec 1.3): also accepted before the command. */
  global?: boolean
}

export interface ArgSpec {
  name: string
  options?: string[]
  description?: string
}

export interface CommandSpec {
  /** The words that name it: `['sim', 'up']`. */
  words: string[]
  /** Other names, each as words (`agents` has `slaves`). */
  aliases: string[][]
  summary: string
  flags: FlagSpec[]
  args: ArgSpec[]
  /** Non-strict commands take any number of extra arguments, of the kind of their last argument. */
  variadic: boolean
}

interface ManifestFlag {
  name?: string
  char?: string
  type?: string
  options?: string[]
  description?: string
  summary?: string
  helpValue?: string
  hidden?: boolean
  allowNo?: boolean
  multiple?: boolean
  helpGroup?: string
}
interface ManifestCommand {
  id: string
  hidden?: boolean
  aliases?: string[]
  summary?: string
  description?: string
  strict?: boolean
  flags?: Record<string, ManifestFlag>
  args?: Record<string, { name?: string; options?: string[]; description?: string; hidden?: boolean }>
}

const firstLine = (s: string | undefined) => (s ?? '').split('\n')[0]!.trim()

/** Visible commands of a parsed manifest (hidden commands and flags are never offered). */
export function commandsFromManifest(manifest: unknown): CommandSpec[] {
  const commands = (manifest as { commands?: Record<string, ManifestCommand> }).commands ?? {}
  const out: CommandSpec[] = []
  for (const c of Object.values(commands)) {
    if (c.hidden || c.id.startsWith('__')) continue
    const flags: FlagSpec[] = Object.entries(c.flags ?? {})
      .filter(([, f]) => !f.hidden)
      .map(([name, f]) => ({
        name: f.name ?? name,
        ...(f.char ? { char: f.char } : {}),
        takesValue: f.type === 'option',
        ...(f.options ? { options: f.options } : {}),
        description: firstLine(f.summary ?? f.description),
        ...(f.helpValue ? { helpValue: f.helpValue } : {}),
        ...(f.allowNo ? { allowNo: true } : {}),
        ...(f.multiple ? { multiple: true } : {}),
        ...(f.helpGroup === 'GLOBAL' ? { global: true } : {}),
      }))
    const args: ArgSpec[] = Object.entries(c.args ?? {})
      .filter(([, a]) => !a.hidden)
      .map(([name, a]) => ({
        name: a.name ?? name,
        ...(a.options ? { options: a.options } : {}),
        description: firstLine(a.description),
      }))
    out.push({
      words: c.id.split(':'),
      aliases: (c.aliases ?? []).map((a) => a.split(/[: ]/)),
      summary: firstLine(c.summary ?? c.description),
      flags,
      args,
      variadic: c.strict === false,
    })
  }
  out.sort((a, b) => (a.words.join(' ') < b.words.join(' ') ? -1 : 1))
  return out
}

export function loadCommands(manifestPath: string): CommandSpec[] {
  try {
    return commandsFromManifest(JSON.parse(readFileSync(manifestPath, 'utf8')))
  } catch {
    return []
  }
}
