import { describe, expect, it } from 'vitest'
import { indexFromState, type V0State } from '../../src/core/tasks/model.js'
import { slimStateFrom } from '../../src/core/tasks/stream.js'

const state = {
  version: '1.11.0',
  pid: 'master@10.0.0.1:5050',
  leader: 'master@10.0.0.1:5050',
  build_time: 1.0,
  slaves: [
    { id: 'S0', hostname: 'a0', pid: 'slave(1)@10.0.0.2:5051', version: '1.11.0', resources: { cpus: 4.0 }, active: true },
    { id: 'S1', hostname: 'a1', pid: 'slave(1)@10.0.0.3:5051', version: '1.4.0', active: false },
  ],
  frameworks: [
    {
      id: 'F0',
      name: 'marathon',
      pid: 'scheduler@x',
      hostname: 'h',
      user: 'root',
      active: true,
      tasks: [
        {
          id: 'web.1',
          name: 'web',
          framework_id: 'F0',
          executor_id: '',
          slave_id: 'S0',
          state: 'TASK_RUNNING',
          resources: { cpus: 1.0 },
          statuses: [
            { state: 'TASK_STARTING', timestamp: 10.5 },
            { state: 'TASK_RUNNING', timestamp: 11.5 },
            { state: 'TASK_RUNNING', timestamp: 12.5, container_status: { container_id: { value: 'c' } } },
          ],
          labels: [{ key: 'k', value: 'v' }],
        },
        { id: 'pod.a', name: 'a', framework_id: 'F0', executor_id: 'pod-ex', slave_id: 'S1', state: 'TASK_RUNNING', statuses: [] },
      ],
      unreachable_tasks: [{ id: 'u', framework_id: 'F0', executor_id: '', slave_id: 'S1', state: 'TASK_UNREACHABLE', statuses: [] }],
      completed_tasks: [{ id: 'old', framework_id: 'F0', executor_id: '', slave_id: 'S0', state: 'TASK_FAILED', statuses: [{ state: 'TASK_FAILED', timestamp: 3.0 }] }],
      offers: [],
      executors: [{ executor_id: 'pod-ex', name: 'pod', type: 'DEFAULT', command: { value: 'x' } }],
    },
  ],
  completed_frameworks: [
    { id: 'F9', name: 'gone', user: 'u', hostname: 'h2', active: false, tasks: [], completed_tasks: [{ id: 'z', framework_id: 'F9', executor_id: '', slave_id: 'S0', state: 'TASK_FINISHED', statuses: [] }], executors: [] },
  ],
  orphan_tasks: [],
}

async function* chunks(text: string, sizes: number[]): AsyncIterable<Uint8Array> {
  const buf = Buffer.from(text)
  let i = 0
  let k = 0
  while (i < buf.length) {
    const n = Math.max(1, sizes[k++ % sizes.length]!)
    yield buf.subarray(i, i + n)
    i += n
  }
}

describe('streaming /master/state into the task index', () => {
  it('builds the same index as parsing the whole document, whatever the chunking', async () => {
    const text = JSON.stringify(state)
    const expected = indexFromState(state as unknown as V0State, 'm', 1)
    for (const sizes of [[1], [7, 3, 100], [4096]]) {
      const slim = await slimStateFrom(chunks(text, sizes))
      expect(slim.pid).toBe('master@10.0.0.1:5050')
      expect(slim.leader).toBe('master@10.0.0.1:5050')
      expect(indexFromState(slim, 'm', 1)).toEqual(expected)
    }
    expect(expected.tasks.find((t) => t.id === 'pod.a')?.taskGroup).toBe(true)
    expect(expected.tasks.find((t) => t.id === 'web.1')).toMatchObject({ startedAt: 10.5, updatedAt: 12.5, executorId: 'web.1' })
  })
})
