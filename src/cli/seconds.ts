/** A flag holding a positive number of seconds (--timeout, --sleep-interval). */
import { Flags, type Interfaces } from '@oclif/core'

interface SecondsOptions {
  description: string
  char?: 's'
  helpGroup?: string
}

export function secondsFlag(name: string, opts: SecondsOptions & { default: number }): Interfaces.OptionFlag<number>
export function secondsFlag(name: string, opts: SecondsOptions): Interfaces.OptionFlag<number | undefined>
export function secondsFlag(name: string, opts: SecondsOptions & { default?: number }) {
  return Flags.custom<number>({
    ...opts,
    helpValue: '<seconds>',
    parse: async (input) => {
      const n = Number(input)
      if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} expects a positive number of seconds, got "${input}"`)
      return n
    },
  })()
}
