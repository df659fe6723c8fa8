/**
 * Global flags before the command name (`mesos --profile staging ps`, `mesos --master m:5050
 * my-plugin`): taken off the front of the words, to be given to a built-in command after its name
 * or turned into a plugin's environment. Which flags are global, and which take a value, is the
 * caller's grammar: nothing here knows flag names.
 */

export interface LeadingGlobals {
  /** The global flags as typed, normalised to `--name [value]`, ready to be given to a command. */
  flags: string[]
  /** Their values by name (`true` for a flag without value). */
  values: Record<string, string | true>
  /** The command name and what follows it. */
  rest: string[]
}

/** `takesValue` of each global flag, by long name. */
export type GlobalTable = Record<string, { takesValue: boolean }>

export function splitLeadingGlobals(words: readonly string[], globals: GlobalTable): LeadingGlobals {
  const out: LeadingGlobals = { flags: [], values: {}, rest: [] }
  let i = 0
  for (; i < words.length; i++) {
    const w = words[i]!
    if (!w.startsWith('--') || w === '--') break
    const eq = w.indexOf('=')
    const name = w.slice(2, eq < 0 ? undefined : eq)
    const g = globals[name]
    if (!g) break
    if (!g.takesValue) {
      if (eq >= 0) break
      out.flags.push(`--${name}`)
      out.values[name] = true
      continue
    }
    let value: string
    if (eq >= 0) value = w.slice(eq + 1)
    else if (i + 1 < words.length) value = words[++i]!
    else break
    out.flags.push(`--${name}`, value)
    out.values[name] = value
  }
  out.rest = words.slice(i)
  return out
}
