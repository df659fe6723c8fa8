import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { V1TaskPicker, type V1TaskList } from '../../src/core/cluster/v1-task-picker.js'

/** Text that stresses a byte scanner: quotes, backslashes, brackets, commas, colons, non-ASCII. */
const nasty = fc.string({ unit: fc.constantFrom('a', '"', '\\', '{', '}', '[', ']', ',', ':', ' ', 'é', '😀', '\n', 'tasks') })
const task = fc.record({
  task_id: fc.record({ value: nasty }),
  framework_id: fc.record({ value: nasty }),
  labels: fc.array(fc.record({ key: nasty, value: nasty }), { maxLength: 2 }),
  statuses: fc.array(fc.record({ message: nasty, nested: fc.array(fc.array(fc.integer())) }), { maxLength: 2 }),
})
const doc = fc.record({
  tasks: fc.array(task, { maxLength: 4 }),
  unreachable_tasks: fc.array(task, { maxLength: 2 }),
  completed_tasks: fc.array(task, { maxLength: 4 }),
  decoy: fc.array(task, { maxLength: 2 }),
})

function pick(text: string, cuts: number[]): Array<[V1TaskList, unknown]> {
  const got: Array<[V1TaskList, unknown]> = []
  const p = new V1TaskPicker((list, bytes) => got.push([list, JSON.parse(bytes.toString('utf8'))]))
  const buf = Buffer.from(text)
  let at = 0
  for (const cut of [...cuts.map((c) => c % (buf.length + 1))].sort((a, b) => a - b)) {
    p.push(buf.subarray(at, Math.max(at, cut)))
    at = Math.max(at, cut)
  }
  p.push(buf.subarray(at))
  p.end()
  return got
}

describe('V1TaskPicker', () => {
  it('cuts out exactly the tasks of get_tasks, whatever the strings and the chunking (property)', () => {
    fc.assert(
      fc.property(doc, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (d, cuts, spaced) => {
        const answer = {
          type: 'GET_TASKS',
          // the same list names elsewhere are not tasks of get_tasks
          other: { tasks: d.decoy },
          get_tasks: { tasks: d.tasks, unreachable_tasks: d.unreachable_tasks, completed_tasks: d.completed_tasks, decoy: { tasks: d.decoy } },
          completed_tasks: d.decoy,
        }
        const text = JSON.stringify(answer, null, spaced ? 1 : undefined)
        const expected = [
          ...d.tasks.map((t) => ['tasks', t]),
          ...d.unreachable_tasks.map((t) => ['unreachable_tasks', t]),
          ...d.completed_tasks.map((t) => ['completed_tasks', t]),
        ]
        expect(pick(text, cuts)).toEqual(expected)
      }),
      { numRuns: 300 },
    )
  })

  it.each([
    ['cut short', '{"type":"GET_TASKS","get_tasks":{"tasks":[{"task_id":{"value":"a"}}'],
    ['not JSON', '<html>502 Bad Gateway</html>'],
    ['an array', '[{"get_tasks":{}}]'],
    ['two documents', '{"get_tasks":{}}{"get_tasks":{}}'],
    ['mismatched brackets', '{"get_tasks":{"tasks":[}]}'],
    ['empty', ''],
  ])('%s is "not JSON"', (_what, text) => {
    expect(() => pick(text, [])).toThrow("the master's answer to GET_TASKS is not JSON")
  })
})
