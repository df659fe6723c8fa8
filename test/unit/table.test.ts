import { describe, expect, it } from 'vitest'
import { EventContext, formatEvent } from '../../src/cli/render/events.js'
import { amount, clockTime, humanBytes, renderTable } from '../../src/cli/render/table.js'

const columns = [{ header: 'ID' }, { header: 'COMMAND', shrink: true }, { header: 'N', align: 'right' as const }]
const rows = [
  ['task-aaaaaaaaaaaa', 'sh -c while true; do echo hello; sleep 1; done', '7'],
  ['t2', 'x', '12345'],
]

describe('renderTable', () => {
  it('aligns columns, right-aligns numbers, keeps the header unless dropped', () => {
    expect(renderTable(columns, rows, { headers: true })).toBe(
      [
        'ID                 COMMAND                                             N',
        'task-aaaaaaaaaaaa  sh -c while true; do echo hello; sleep 1; done      7',
        't2                 x                                               12345',
        '',
      ].join('\n'),
    )
    expect(renderTable(columns, rows, { headers: false }).split('\n')[0]).toMatch(/^task-aaaaaaaaaaaa/)
  })

  it('fits a terminal by truncating COMMAND, never the ID', () => {
    const out = renderTable(columns, rows, { headers: true, width: 40 })
    for (const line of out.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(40)
    expect(out).toContain('task-aaaaaaaaaaaa')
    expect(out).toContain('…')
  })

  it('never truncates when piped', () => {
    expect(renderTable(columns, rows, { headers: true })).toContain('sleep 1; done')
  })
})

describe('units', () => {
  it.each([
    [0, '0B'],
    [1023, '1023B'],
    [1536, '1.5K'],
    [50297206, '48M'],
    [1.5 * 1024 ** 3, '1.5G'],
  ])('humanBytes(%d) = %s', (n, s) => expect(humanBytes(n)).toBe(s))
  it('clockTime and amount', () => {
    expect(clockTime(3725.9)).toBe('1:02:05')
    expect(clockTime(undefined)).toBe('-')
    expect(amount(0.30000000000000004)).toBe('0.3')
  })
})

describe('event lines', () => {
  it('names task, state, agent hostname and framework', () => {
    const ctx = new EventContext()
    const subscribed = {
      type: 'SUBSCRIBED',
      subscribed: {
        get_state: {
          get_agents: { agents: [{ agent_info: { id: { value: 'S1' }, hostname: 'host-7' } }] },
          get_frameworks: { frameworks: [{ framework_info: { id: { value: 'F0' }, name: 'Flink' } }] },
        },
      },
    }
    ctx.learn(subscribed)
    expect(formatEvent(subscribed, ctx, 0)).toBeUndefined()
    const ev = {
      type: 'TASK_UPDATED',
      task_updated: {
        framework_id: { value: 'F0' },
        state: 'TASK_FAILED',
        status: { task_id: { value: 'taskmanager-00003' }, agent_id: { value: 'S1' }, state: 'TASK_FAILED', timestamp: 1700000000.5 },
      },
    }
    ctx.learn(ev)
    expect(formatEvent(ev, ctx, 0)).toBe('2023-11-14T22:13:20.500Z TASK_UPDATED taskmanager-00003 TASK_FAILED agent=host-7 framework=Flink')
    expect(formatEvent({ type: 'HEARTBEAT' }, ctx, 0)).toBeUndefined()
    expect(formatEvent({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: 'S1' } } }, ctx, 0)).toBe(
      '1970-01-01T00:00:00.000Z AGENT_REMOVED S1 host-7',
    )
  })
})
