/** Assertions about the errors a function throws. */
import { expect } from 'vitest'
import { MesosError } from '../../src/core/errors.js'

/** The message of the usage error `fn` throws; fails the test when it throws none or another kind. */
export function usageMessage(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(MesosError)
    expect((err as MesosError).kind).toBe('usage')
    return (err as MesosError).message
  }
  throw new Error('expected a usage error')
}
