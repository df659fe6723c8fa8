/**
 * The one parser of every command's words (after the words naming the command), derived from its
 * definition. Every way the words can be wrong is a usage error (spec 1.1): it names the argument
 * or flag and the reason, and hints at the command's help.
 */
import { usageError } from '../../core/errors.js'
import { closest } from '../../core/suggest.js'
import { flagTable, helpHint, labelOf } from './table.js'
import type { AnyCommand, ArgDef, FlagDef, NumberFlag } from './types.js'

export interface Parsed {
  flags: Record<string, unknown>
  args: Record<string, unknown>
  /** `-h` or `--help` was given (before any `--`): show help instead of running. */
  help: boolean
}

function describeRange(f: NumberFlag): string {
  const low = f.kind === 'seconds' ? (f.min !== undefined ? `at least ${f.min}` : 'greater than 0') : f.min !== undefined ? `at least ${f.min}` : ''
  const high = f.max !== undefined ? `at most ${f.max}` : ''
  return [low, high].filter(Boolean).join(' and ')
}

/** The value of a number flag, or a usage error saying what was expected. */
export function numberValue(name: string, f: NumberFlag, text: string, command: string): number {
  const what = f.kind === 'integer' ? 'a whole number' : 'a number of seconds'
  const range = describeRange(f)
  const bad = (expected: string) => usageError(`--${name}: expected ${expected}, got "${text}"`, [helpHint(command)])
  const trimmed = text.trim()
  const n = trimmed === '' || (f.kind === 'integer' && !/^[+-]?\d+$/.test(trimmed)) ? Number.NaN : Number(trimmed)
  if (!Number.isFinite(n)) throw bad(what)
  const below = f.min !== undefined ? n < f.min : f.kind === 'seconds' && n <= 0
  if (below || (f.max !== undefined && n > f.max)) throw bad(`${what} ${range}`)
  return n
}

function convert(name: string, f: FlagDef, text: string, command: string): unknown {
  switch (f.kind) {
    case 'integer':
    case 'seconds':
      return numberValue(name, f, text, command)
    case 'string':
      if (text === '' && !f.emptyOk) throw usageError(`--${name}: expected a value, got ""`, [helpHint(command)])
      if (f.options && !f.options.includes(text))
        throw usageError(`--${name}: expected one of ${f.options.join(', ')}, got "${text}"`, [helpHint(command)])
      return text
    default:
      return text
  }
}

/** How many of the words each argument takes: variadic arguments leave enough for the ones after them. */
function assign(def: AnyCommand, words: string[], values: Record<string, unknown>): Record<string, unknown> {
  const entries = Object.entries(def.args as Record<string, ArgDef>)
  // an argument given by a flag (grep -e) takes no word: the words, and so the names in errors, move left
  const byFlag = (a: ArgDef) => a.givenByFlag !== undefined && ((values[a.givenByFlag] as unknown[] | undefined)?.length ?? 0) > 0
  const shown = entries.filter(([, a]) => !byFlag(a))
  const labelAt = (j: number) => {
    const [name, a] = shown[j] ?? entries[j]!
    return labelOf(name, a)
  }
  const out: Record<string, unknown> = {}
  let at = 0
  for (const [j, [name, a]] of entries.entries()) {
    if (a.variadic || a.rest) {
      const after = entries.slice(j + 1).filter(([, b]) => b.required).length
      const n = Math.max(0, words.length - at - after)
      out[name] = words.slice(at, at + n)
      at += n
      if (a.required && n === 0) throw usageError(`missing argument ${labelAt(j)}`, [helpHint(def.id)])
      continue
    }
    const w = words[at]
    if (w === undefined) {
      if (a.required) throw usageError(`missing argument ${labelAt(j)}`, [helpHint(def.id)])
      continue
    }
    if (a.options && !a.options.includes(w))
      throw usageError(`${labelOf(name, a)}: expected one of ${a.options.join(', ')}, got "${w}"`, [helpHint(def.id)])
    out[name] = w
    at++
  }
  if (at < words.length) {
    const max = entries.length
    const why = max === 0 ? `mesos ${def.id} takes no arguments` : `mesos ${def.id} takes at most ${max} argument${max === 1 ? '' : 's'}`
    throw usageError(`unexpected argument "${words[at]}" (${why})`, [helpHint(def.id)])
  }
  return out
}

/** The index of the argument that takes every word once it starts (`rest`), if any. */
function restIndex(def: AnyCommand): number {
  return Object.values(def.args as Record<string, ArgDef>).findIndex((a) => a.rest)
}

export function parseCommand(def: AnyCommand, words: readonly string[]): Parsed {
  const table = flagTable(def)
  const byChar = new Map<string, string>()
  for (const [name, f] of Object.entries(table)) if (f.char) byChar.set(f.char, name)
  const values: Record<string, unknown> = {}
  const positionals: string[] = []
  const restAt = restIndex(def)
  let help = false
  let positionalOnly = false

  const set = (name: string, f: FlagDef, text: string | undefined) => {
    if (f.kind === 'boolean') values[name] = true
    else if (f.kind === 'list') values[name] = [...((values[name] as string[] | undefined) ?? []), text!]
    else values[name] = convert(name, f, text!, def.id)
  }
  const unknown = (typed: string) => {
    const names = Object.keys(table).map((n) => `--${n}`)
    const near = typed.startsWith('--') ? closest(typed, names) : undefined
    return usageError(`unknown flag ${typed}`, near ? [`did you mean ${near}?`, helpHint(def.id)] : [helpHint(def.id)])
  }
  const needsValue = (name: string) => usageError(`--${name} needs a value`, [helpHint(def.id)])

  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    if (positionalOnly || w === '-' || !w.startsWith('-')) {
      positionals.push(w)
      if (restAt >= 0 && positionals.length > restAt) positionalOnly = true
      continue
    }
    if (w === '--') {
      positionalOnly = true
      continue
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=')
      const name = w.slice(2, eq < 0 ? undefined : eq)
      if (name === 'help' && !table.help) {
        help = true
        continue
      }
      const f = table[name]
      if (!f) throw unknown(eq < 0 ? w : w.slice(0, eq))
      if (f.kind === 'boolean') {
        if (eq >= 0) throw usageError(`--${name} takes no value`, [helpHint(def.id)])
        set(name, f, undefined)
        continue
      }
      const text = eq >= 0 ? w.slice(eq + 1) : words[++i]
      if (text === undefined) throw needsValue(name)
      set(name, f, text)
      continue
    }
    // -abc: booleans; the first one taking a value takes the rest of the word or the next word
    for (let k = 1; k < w.length; k++) {
      const c = w[k]!
      const name = byChar.get(c)
      if (name === undefined) {
        if (c === 'h') {
          help = true
          continue
        }
        throw unknown(`-${c}`)
      }
      const f = table[name]!
      if (f.kind === 'boolean') {
        set(name, f, undefined)
        continue
      }
      const rest = w.slice(k + 1)
      const text = rest !== '' ? rest : words[++i]
      if (text === undefined) throw needsValue(name)
      set(name, f, text)
      break
    }
  }
  if (help) return { flags: values, args: {}, help }
  for (const [name, f] of Object.entries(table)) {
    if (name in values) continue
    if (f.kind === 'boolean') values[name] = false
    else if (f.kind === 'list') values[name] = []
    else if ('default' in f && f.default !== undefined) values[name] = f.default
  }
  return { flags: values, args: assign(def, positionals, values), help }
}
