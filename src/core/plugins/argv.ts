/**
 * Global flags before the command name (`mesos --profile staging ps`, `mesos --master m:5050
 * my-plugin`): oclif reads the first word as the command, so they are taken off here and given back
 * after it (built-ins) or turned into the plugin's environment.
 */

export interface LeadingGlobals {
  /** The global flags as typed, ready to be passed to a built-in command. */
  flags: string[]
  profile?: string
  master?: string
  timeout?: string
  debug?: boolean
  noColor?: boolean
  /** The command name and what follows it. */
  rest: string[]
}

const WITH_VALUE = new Set(['master', 'profile', 'timeout'])
const BOOLEAN = new Set(['debug', 'no-color'])

export function splitLeadingGlobals(words: readonly string[]): LeadingGlobals {
  const out: LeadingGlobals = { flags: [], rest: [] }
  let i = 0
  for (; i < words.length; i++) {
    const w = words[i]!
    if (!w.startsWith('--') || w === '--') break
    const eq = w.indexOf('=')
    const name = w.slice(2, eq < 0 ? undefined : eq)
    if (BOOLEAN.has(name) && eq < 0) {
      out.flags.push(w)
      if (name === 'debug') out.debug = true
      else out.noColor = true
      continue
    }
    if (!WITH_VALUE.has(name)) break
    let value: string
    if (eq >= 0) value = w.slice(eq + 1)
    else if (i + 1 < words.length) value = words[++i]!
    else break
    out.flags.push(`--${name}`, value)
    if (name === 'master') out.master = value
    else if (name === 'profile') out.profile = value
    else out.timeout = value
  }
  out.rest = words.slice(i)
  return out
}
