/** ps keeps each row's statistics figures in columns: what it gives back is what usageOf computes. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type ExecutorStatistics, UsageColumns, usageOf } from '../../src/core/cluster/stats.js'

const figure = fc.oneof(fc.double(), fc.integer(), fc.constant(undefined), fc.constant(Number.NaN), fc.constant(-0), fc.string({ maxLength: 3 }))
const stats = fc.record(
  {
    cpus_limit: figure,
    cpus_user_time_secs: figure,
    cpus_system_time_secs: figure,
    mem_limit_bytes: figure,
    mem_rss_bytes: figure,
  },
  { requiredKeys: [] },
)

describe('UsageColumns', () => {
  it('gives back usageOf of each row, and all nulls for a row without statistics', () => {
    fc.assert(
      fc.property(fc.array(fc.option(stats, { nil: undefined }), { maxLength: 20 }), (list) => {
        const cols = new UsageColumns(list.length)
        list.forEach((st, i) => {
          if (st) cols.set(i, { framework_id: 'f', executor_id: `e${i}`, executor_name: `n${i}`, statistics: st } as ExecutorStatistics)
        })
        list.forEach((st, i) => {
          const got = cols.get(i)
          expect(got.figures).toStrictEqual(usageOf(st as ExecutorStatistics['statistics'] | undefined))
          expect(got.executorName).toBe(st ? `n${i}` : undefined)
        })
      }),
      { numRuns: 300 },
    )
  })
})
