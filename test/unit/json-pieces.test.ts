/** The cache's JSON written in pieces: joined, exactly JSON.stringify, for any JSON value and piece size. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { jsonPieces } from '../../src/core/output/json-pieces.js'

describe('jsonPieces', () => {
  it('joins to JSON.stringify for any JSON value, long arrays included, at any piece size', () => {
    const long = fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 256, maxLength: 400 })
    const value = fc.oneof(
      fc.jsonValue(),
      fc.record({ tasks: long, agents: fc.array(fc.jsonValue()), n: fc.integer(), skip: fc.constant(undefined) }),
      fc.record({ value: fc.record({ nested: long, s: fc.string() }) }),
    )
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 5000 }), (v, size) => {
        const pieces = [...jsonPieces(v, size)]
        expect(pieces.join('')).toBe(JSON.stringify(v))
        // no piece grows much past the size asked (one element or key at most)
        expect(pieces.every((p) => p.length > 0)).toBe(true)
      }),
      { numRuns: 150 },
    )
  })

  it('undefined and functions inside long arrays are null, as JSON.stringify writes them', () => {
    const arr: unknown[] = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? undefined : i % 3 === 1 ? () => 1 : i))
    expect([...jsonPieces({ arr })].join('')).toBe(JSON.stringify({ arr }))
  })

  it('a 100,000-element array comes in pieces of about the size asked, never as one string', () => {
    const tasks = Array.from({ length: 100_000 }, (_, i) => ({ id: `task-${i}`, state: 'TASK_RUNNING' }))
    const pieces = [...jsonPieces({ tasks }, 64 * 1024)]
    expect(pieces.length).toBeGreaterThan(50)
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(64 * 1024 + 200)
    expect(pieces.join('')).toBe(JSON.stringify({ tasks }))
  })
})
