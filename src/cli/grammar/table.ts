/** Derived views of a definition: its whole flag table, argument labels, usage line, hints. */
import { GLOBAL_FLAGS } from './flags.js'
import type { AnyCommand, ArgDef, FlagDef, GlobalName } from './types.js'

export const GLOBAL_NAMES = Object.keys(GLOBAL_FLAGS) as GlobalName[]

export function globalsOf(def: AnyCommand): Record<string, FlagDef> {
  const names = def.globals ?? GLOBAL_NAMES
  return Object.fromEntries(names.map((n) => [n, GLOBAL_FLAGS[n]]))
}

/** Every flag the command accepts: its own, then the global ones it takes. */
export function flagTable(def: AnyCommand): Record<string, FlagDef> {
  return { ...globalsOf(def), ...(def.flags as Record<string, FlagDef>) }
}

export const labelOf = (name: string, a: ArgDef) => a.label ?? name.toUpperCase()

export const helpHint = (id: string) => `mesos ${id} --help`

/** `TASK [FILE...]` */
export function argsUsage(def: AnyCommand): string {
  return Object.entries(def.args as Record<string, ArgDef>)
    .map(([name, a]) => {
      const label = `${labelOf(name, a)}${a.variadic || a.rest ? '...' : ''}`
      return a.required ? label : `[${label}]`
    })
    .join(' ')
}


/** Which global flags take a value: the plugin argv scan and completion read the grammar from here. */
export function globalTable(): Record<string, { takesValue: boolean }> {
  return Object.fromEntries(GLOBAL_NAMES.map((n) => [n, { takesValue: GLOBAL_FLAGS[n].kind !== 'boolean' }]))
}
