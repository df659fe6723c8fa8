/** Pure pieces of exec/attach/describe: the detach keys, task JSON of both APIs, the health check line. */
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { describeText } from '../../src/cli/commands/describe-text.js'
import type { TaskStory } from '../../src/core/cluster/describe.js'
import { containerIdOf, containerIdText, fromV0, fromV1 } from '../../src/core/cluster/task-detail.js'
import { watchDetach } from '../../src/core/container/terminal.js'

describe('watchDetach', () => {
  const feed = (chunks: number[][]) => {
    const stdin = new PassThrough()
    let detached = 0
    const w = watchDetach(stdin, () => detached++)
    const out: Buffer[] = []
    w.stream.on('data', (b: Buffer) => out.push(b))
    for (const c of chunks) stdin.write(Buffer.from(c))
    return { out: () => [...Buffer.concat(out)], detached: () => detached }
  }

  it('Ctrl-P Ctrl-Q detaches, also split across reads; what came before still goes out', async () => {
    const a = feed([[0x61, 0x10, 0x11, 0x62]])
    const b = feed([[0x61, 0x10], [0x11]])
    await new Promise((r) => setImmediate(r))
    expect([a.out(), a.detached()]).toEqual([[0x61], 1])
    expect([b.out(), b.detached()]).toEqual([[0x61], 1])
  })

  it('a Ctrl-P not followed by Ctrl-Q is passed on with the next byte', async () => {
    const c = feed([[0x10], [0x10, 0x78]])
    await new Promise((r) => setImmediate(r))
    expect([c.out(), c.detached()]).toEqual([[0x10, 0x10, 0x78], 0])
  })
})

describe('task JSON of both APIs', () => {
  it('v0: resources object with port ranges text, labels array, executor "" for command tasks', () => {
    const d = fromV0({
      id: 't',
      framework_id: 'f',
      slave_id: 'a',
      executor_id: '',
      state: 'TASK_RUNNING',
      resources: { cpus: 0.5, mem: 128, disk: 0, gpus: 0, ports: '[31000-31001, 31005-31005]' },
      labels: [{ key: 'k', value: 'v' }],
      statuses: [{ state: 'TASK_RUNNING', timestamp: 1.5, container_status: { container_id: { value: 'c', parent: { value: 'p' } } } }],
      container: { type: 'MESOS', tty_info: {} },
    })
    expect(d.resources).toEqual({ cpus: 0.5, mem: 128, disk: 0, gpus: 0, ports: [[31000, 31001], [31005, 31005]] })
    expect([d.executorId, d.labels, d.full]).toEqual(['', [{ key: 'k', value: 'v' }], false])
    expect(containerIdText(containerIdOf(d)!)).toBe('p.c')
  })

  it('v1: IDs as {value}, protobuf resources (scalars of one name add up), labels object, status reasons', () => {
    const d = fromV1({
      task_id: { value: 't' },
      framework_id: { value: 'f' },
      agent_id: { value: 'a' },
      state: 'TASK_FAILED',
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 }, reservations: [{ role: 'r' }] },
        { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 80, end: 81 }] } },
      ],
      labels: { labels: [{ key: 'k', value: 'v' }] },
      statuses: [{ state: 'TASK_FAILED', message: 'boom', reason: 'REASON_X', source: 'SOURCE_AGENT', timestamp: 2 }],
    })
    expect([d.id, d.frameworkId, d.agentId, d.executorId]).toEqual(['t', 'f', 'a', ''])
    expect(d.resources).toEqual({ cpus: 1.5, ports: [[80, 81]] })
    expect(d.labels).toEqual([{ key: 'k', value: 'v' }])
    expect(d.statuses).toEqual([{ state: 'TASK_FAILED', message: 'boom', reason: 'REASON_X', source: 'SOURCE_AGENT', timestamp: 2 }])
  })
})

describe('describe text', () => {
  it('says the health check and its latest verdict', () => {
    const story: TaskStory = {
      id: 'web.1',
      name: 'web',
      state: 'TASK_RUNNING',
      framework_id: 'f',
      framework_name: null,
      agent_id: 'a',
      hostname: null,
      executor_id: 'web.1',
      command_executor: true,
      container_id: null,
      container_type: null,
      tty: false,
      user: null,
      sandbox: null,
      sandbox_virtual: null,
      resources: { cpus: null, mem_bytes: null, disk_bytes: null, gpus: null, ports: [] },
      labels: [],
      discovery: null,
      health_check: { type: 'HTTP', http: { port: 8080, path: '/health' }, interval_seconds: 10, timeout_seconds: 5 },
      healthy: false,
      failure: null,
      statuses: [],
    }
    const text = describeText(story)
    expect(text).toContain('Health check: HTTP http port 8080 /health (every 10s, timeout 5s); UNHEALTHY\n')
    expect(text).toContain('Framework:    f\n')
    expect(text).toContain('Statuses:\n  (no status updates yet)\n')
  })
})
