import { describe, expect, it } from 'vitest'
import { MesosError } from '../../src/core/errors.js'
import { findExecutorDirectory, predatesVirtualPaths, virtualSandboxPath } from '../../src/core/sandbox/locate.js'
import { globToRegExp, matchTasks, requireOne } from '../../src/core/tasks/matcher.js'
import { indexFromState, type TaskView } from '../../src/core/tasks/model.js'

const task = (id: string, state = 'TASK_RUNNING'): TaskView => ({
  id,
  name: id,
  state,
  frameworkId: 'fw',
  executorId: id,
  taskGroup: false,
  agentId: 'S0',
})

const tasks = [
  task('taskmanager-00001'),
  task('taskmanager-00002'),
  task('taskmanager-00003', 'TASK_FAILED'),
  task('flink.3f1a'),
  task('web.1', 'TASK_UNREACHABLE'),
  task('web.10'),
  task('batch', 'TASK_FINISHED'),
]
const ids = (r: { matches: TaskView[] }) => r.matches.map((t) => t.id)

describe('matchTasks', () => {
  it('matches substrings among active tasks (UNREACHABLE counts as active)', () => {
    expect(ids(matchTasks(tasks, 'taskmanager', false))).toEqual(['taskmanager-00001', 'taskmanager-00002'])
    expect(ids(matchTasks(tasks, 'web', false))).toEqual(['web.1', 'web.10'])
  })

  it('lets an exact ID win over substring matches', () => {
    expect(ids(matchTasks(tasks, 'web.1', false))).toEqual(['web.1'])
  })

  it('adds completed tasks with inactive, and counts them for the hint without', () => {
    expect(matchTasks(tasks, 'taskmanager', false).completedMatches).toBe(1)
    expect(ids(matchTasks(tasks, 'taskmanager', true))).toEqual(['taskmanager-00001', 'taskmanager-00002', 'taskmanager-00003'])
    const r = matchTasks(tasks, 'batch', false)
    expect(r).toEqual({ matches: [], completedMatches: 1 })
    expect(ids(matchTasks(tasks, 'batch', true))).toEqual(['batch'])
  })

  it('matches shell globs over the whole ID', () => {
    expect(ids(matchTasks(tasks, 'task*0[12]', false))).toEqual(['taskmanager-00001', 'taskmanager-00002'])
    expect(ids(matchTasks(tasks, 'web.?', false))).toEqual(['web.1'])
    expect(ids(matchTasks(tasks, '*.3f1?', false))).toEqual(['flink.3f1a'])
    expect(ids(matchTasks(tasks, 'web.[!1]*', false))).toEqual([])
  })

  it('treats regex characters in the filter literally', () => {
    expect(ids(matchTasks(tasks, 'flink.', false))).toEqual(['flink.3f1a'])
    expect(ids(matchTasks(tasks, 'flink+', false))).toEqual([])
  })

  it('an empty filter matches every task in scope', () => {
    expect(matchTasks(tasks, '', false).matches).toHaveLength(5)
    expect(matchTasks(tasks, '', true).matches).toHaveLength(7)
  })
})

describe('requireOne', () => {
  it('lists sorted candidates with exit 3', () => {
    let err: unknown
    try {
      requireOne(matchTasks(tasks, 'web', false), 'web')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(MesosError)
    expect((err as MesosError).kind).toBe('no-match')
    expect((err as MesosError).details).toEqual(['web.1', 'web.10'])
  })

  it('gives the completed-task hint on no match', () => {
    try {
      requireOne(matchTasks(tasks, 'batch', false), 'batch')
      expect.unreachable()
    } catch (e) {
      expect((e as MesosError).message).toBe('no task matches "batch"')
      expect((e as MesosError).hints).toEqual(['1 completed task(s) match; add --inactive'])
    }
  })
})

describe('globToRegExp', () => {
  it('anchors and escapes', () => {
    expect(globToRegExp('a*b').test('axxb')).toBe(true)
    expect(globToRegExp('a*b').test('axxbc')).toBe(false)
    expect(globToRegExp('a.b').test('axb')).toBe(false)
    expect(globToRegExp('[a-c]x').test('bx')).toBe(true)
    expect(globToRegExp('[').test('[')).toBe(true)
  })
})

describe('index from /master/state', () => {
  it('collects active, unreachable and completed tasks of running and completed frameworks', () => {
    const idx = indexFromState(
      {
        frameworks: [
          {
            id: 'fw1',
            name: 'marathon',
            executors: [{ executor_id: 'pod-ex', type: 'DEFAULT' }],
            tasks: [
              { id: 'a', state: 'TASK_RUNNING', executor_id: '', slave_id: 'S0', statuses: [{ state: 'TASK_RUNNING', timestamp: 5.0 }] },
              { id: 'p', state: 'TASK_RUNNING', executor_id: 'pod-ex', slave_id: 'S1' },
            ],
            unreachable_tasks: [{ id: 'u', state: 'TASK_UNREACHABLE', executor_id: '', slave_id: 'S2' }],
            completed_tasks: [{ id: 'c', state: 'TASK_FAILED', executor_id: 'custom', slave_id: 'S0' }],
          },
        ],
        completed_frameworks: [{ id: 'fw0', name: 'old', completed_tasks: [{ id: 'z', state: 'TASK_FINISHED', slave_id: 'S0' }] }],
        slaves: [{ id: 'S0', hostname: 'h0', pid: 'slave(1)@10.0.0.1:5051', version: '1.11.0' }],
      },
      'm:5050',
      1000,
    )
    expect(idx.tasks.map((t) => [t.id, t.frameworkId, t.executorId, t.taskGroup])).toEqual([
      ['a', 'fw1', 'a', false],
      ['c', 'fw1', 'custom', false],
      ['p', 'fw1', 'pod-ex', true],
      ['u', 'fw1', 'u', false],
      ['z', 'fw0', 'z', false],
    ])
    expect(idx.tasks[0]!.startedAt).toBe(5)
    expect(idx.frameworks.map((f) => [f.id, f.completed])).toEqual([
      ['fw1', false],
      ['fw0', true],
    ])
    expect(idx.agents).toEqual([{ id: 'S0', hostname: 'h0', pid: 'slave(1)@10.0.0.1:5051', version: '1.11.0' }])
  })
})

describe('sandbox paths', () => {
  it('builds the 1.5+ virtual path, with tasks/<id> for task groups', () => {
    expect(virtualSandboxPath(task('web.1'))).toBe('/frameworks/fw/executors/web.1/runs/latest')
    expect(virtualSandboxPath({ ...task('p'), executorId: 'ex', taskGroup: true })).toBe(
      '/frameworks/fw/executors/ex/runs/latest/tasks/p',
    )
  })

  it('knows which agents predate virtual paths', () => {
    expect(predatesVirtualPaths('1.4.3')).toBe(true)
    expect(predatesVirtualPaths('0.28.2')).toBe(true)
    expect(predatesVirtualPaths('1.5.0')).toBe(false)
    expect(predatesVirtualPaths('1.11.0')).toBe(false)
    expect(predatesVirtualPaths(undefined)).toBe(false)
  })

  it('finds the executor directory in agent state, running before completed, newest run last', () => {
    const state = {
      frameworks: [
        {
          id: 'fw',
          executors: [{ id: 'e1', directory: '/w/run-live' }],
          completed_executors: [
            { id: 'e2', directory: '/w/run-old' },
            { id: 'e2', directory: '/w/run-new' },
          ],
        },
      ],
      completed_frameworks: [{ id: 'fw9', completed_executors: [{ id: 'e3', directory: '/w/done' }] }],
    }
    expect(findExecutorDirectory(state, 'fw', 'e1')).toBe('/w/run-live')
    expect(findExecutorDirectory(state, 'fw', 'e2')).toBe('/w/run-new')
    expect(findExecutorDirectory(state, 'fw9', 'e3')).toBe('/w/done')
    expect(findExecutorDirectory(state, 'fw', 'nope')).toBeUndefined()
  })
})
