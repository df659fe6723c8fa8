/** A sleep that ends takes its abort listener away: a follow loop sleeps thousands of times on one signal. */
import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../src/core/deps/index.js'
import { TestClock } from '../helpers/run-command.js'

describe('clocks and the run signal', () => {
  it('the system clock: 20 sleeps leave no listener', async () => {
    const signal = new AbortController().signal
    for (let i = 0; i < 20; i++) await systemClock.sleep(1, signal)
    expect(getEventListeners(signal, 'abort')).toHaveLength(0)
  })

  it('the test clock: 20 sleeps leave no listener, and an abort still ends a waiting one', async () => {
    const clock = new TestClock()
    const controller = new AbortController()
    for (let i = 0; i < 20; i++) {
      const slept = clock.sleep(1000, controller.signal)
      clock.advance(1000)
      await slept
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    const waiting = clock.sleep(1000, controller.signal)
    controller.abort(new Error('stop'))
    await expect(waiting).rejects.toThrow('stop')
    expect(clock.sleeping).toBe(0)
  })
})
