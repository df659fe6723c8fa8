/** The byte-level scanner of /master/state against JSON.parse: same index, same strings, same failures. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { indexFromState, isTerminal, type V0State } from '../../src/core/tasks/model.js'
import { Reader, ScanError } from '../../src/core/tasks/pick.js'
import { literalOf, matcherFor } from '../../src/core/tasks/matcher.js'
import { collectState } from '../../src/core/tasks/stream.js'

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

async function* chunks(text: string | Buffer, sizes: number[]): AsyncIterable<Uint8Array> {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text)
  let i = 0
  let k = 0
  while (i < buf.length) {
    const n = Math.max(1, sizes[k++ % sizes.length]!)
    yield buf.subarray(i, i + n)
    i += n
  }
}


function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b)
  const out: Buffer[] = []
  let from = 0
  for (const p of points) {
    out.push(buf.subarray(from, p))
    from = p
  }
  out.push(buf.subarray(from))
  return out
}

async function* from(parts: Buffer[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield p
}

/** The index the old whole-document path builds, for comparison. */
function expectedIndex(text: string) {
  const idx = indexFromState(JSON.parse(text) as V0State, 'm', 1)
  return { tasks: idx.tasks, agents: idx.agents, frameworks: idx.frameworks }
}

async function scanned(parts: Buffer[], keep?: (id: string) => boolean) {
  const got = await collectState(from(parts), keep ? { keep, ids: true } : {})
  return { tasks: got.tasks, agents: got.agents, frameworks: got.frameworks, got }
}

describe('scanning /master/state into the task index', () => {
  it('builds the same index as parsing the whole document, whatever the chunking', async () => {
    const text = JSON.stringify(state)
    const expected = expectedIndex(text)
    for (const sizes of [[1], [7, 3, 100], [4096]]) {
      const got = await collectState(chunks(text, sizes))
      expect(got.pid).toBe('master@10.0.0.1:5050')
      expect(got.leader).toBe('master@10.0.0.1:5050')
      expect({ tasks: got.tasks, agents: got.agents, frameworks: got.frameworks }).toEqual(expected)
    }
    expect(expected.tasks.find((t) => t.id === 'pod.a')?.taskGroup).toBe(true)
    expect(expected.tasks.find((t) => t.id === 'web.1')).toMatchObject({ startedAt: 10.5, updatedAt: 12.5, executorId: 'web.1' })
  })

  it('with a filter keeps only the matches, their agents and frameworks, and every ID for completion', async () => {
    const got = await collectState(chunks(JSON.stringify(state), [13]), { keep: (id) => id.startsWith('web'), ids: true })
    expect(got.tasks.map((t) => t.id)).toEqual(['web.1'])
    expect(got.agents.map((a) => a.id)).toEqual(['S0'])
    expect(got.frameworks.map((f) => f.id)).toEqual(['F0'])
    expect(got.allAgents.map((a) => a.id)).toEqual(['S0', 'S1'])
    expect([...got.ids!.all]).toEqual(['old', 'pod.a', 'u', 'web.1', 'z'])
    expect([...got.ids!.active]).toEqual(['pod.a', 'u', 'web.1'])
    expect(got.full).toBeUndefined()
  })

  it('a filtered scan of a small cluster also gives the full index, the same as the whole document; past fullUpTo none', async () => {
    const text = JSON.stringify(state)
    const expected = expectedIndex(text)
    for (const sizes of [[1], [13], [4096]]) {
      const got = await collectState(chunks(text, sizes), { keep: (id) => id.startsWith('web'), ids: true, fullUpTo: 100 })
      expect(got.tasks.map((t) => t.id)).toEqual(['web.1'])
      expect(got.full).toEqual(expected)
      expect(got.full!.tasks.find((t) => t.id === 'pod.a')?.taskGroup).toBe(true)
    }
    const few = await collectState(chunks(text, [13]), { keep: (id) => id.startsWith('web'), ids: true, fullUpTo: 2 })
    expect(few.full).toBeUndefined()
    expect(few.tasks.map((t) => t.id)).toEqual(['web.1'])
  })

  it('rejects what is not a state document with a ScanError (never a TypeError)', async () => {
    const bad = [
      '',
      '   ',
      '[]',
      '"state"',
      '42',
      '<html>502 Bad Gateway</html>',
      '{"slaves": {"a": 1}}',
      '{"slaves": [1]}',
      '{"frameworks": "x"}',
      '{"frameworks": [[]]}',
      '{"frameworks": [{"id": "F", "tasks": {"id": "t"}}]}',
      '{"frameworks": [{"id": "F", "tasks": [{"id": 5}]}]}',
      '{"frameworks": [{"id": "F", "tasks": [7]}]}',
      '{"slaves": [{"hostname": "h"}]}',
      '{"pid": "m"} {"pid": "n"}',
      '{"pid": "m"]',
      '{"a": tru}',
      '{"frameworks": [{"id": "F", "tasks": [{"id": "t", "name": "\\x"}]}]}',
      '{"frameworks": [{"id": "F", "tasks": [{"id": "t\\u12"}]}]}',
    ]
    for (const text of bad) {
      await expect(collectState(chunks(text, [3])), text).rejects.toBeInstanceOf(ScanError)
    }
  })

  it('a filtered scan, which reads only the head of each task, rejects a task of the wrong shape too', async () => {
    const tasks = ['{"id": 5}', '7', '{"id": "t", "state"}', '{"id" "t"}', '{"id": "t",}', '{"id": "t" "x": 1}', '{"state": "TASK_RUNNING"}', '{id: "t"}', '{"id": "t\\u12"}']
    for (const t of tasks) {
      const text = `{"frameworks": [{"id": "F", "tasks": [${t}]}]}`
      for (const sizes of [[3], [4096]]) {
        await expect(collectState(chunks(text, sizes), { keep: () => false, keepNeeds: Buffer.from('t'), ids: true }), text).rejects.toBeInstanceOf(ScanError)
      }
    }
    // escapes in keys and values are read as JSON.parse reads them
    const text = '{"frameworks": [{"id": "F", "tasks": [{"\\u0069d": "t\\u0031", "st\\u0061te": "TASK_\\u0046INISHED"}, {"id": "t2", "state": "TASK_RUNNING"}]}]}'
    const got = await collectState(chunks(text, [5]), { keep: (id) => id === 't1', keepNeeds: Buffer.from('t'), ids: true })
    expect(got.tasks.map((t) => [t.id, t.state])).toEqual([['t1', 'TASK_FINISHED']])
    expect([...got.ids!.all]).toEqual(['t1', 't2'])
    expect([...got.ids!.active]).toEqual(['t2'])
  })

  it('rejects every truncation of a state document', async () => {
    const buf = Buffer.from(JSON.stringify(state))
    for (let n = 0; n < buf.length; n += 7) {
      await expect(collectState(from([buf.subarray(0, n)])), `first ${n} bytes`).rejects.toBeInstanceOf(ScanError)
      await expect(collectState(from([buf.subarray(0, n)]), { keep: (id) => id === 'u', ids: true }), `first ${n} bytes, filtered`).rejects.toBeInstanceOf(ScanError)
    }
  })
})

const text = fc.string({ unit: 'binary', maxLength: 12 })
const hostile = fc.oneof(text, fc.constantFrom('a\nb', '\u001b[31mred', '\u0000', '"q"', '\\', '\ud83d\ude00', '\ud800', '\udfff x'))
const junk = fc.jsonValue({ maxDepth: 2 })

const taskArb = fc.record(
  {
    // a few IDs that repeat: a task listed twice in its framework (the first listing counts)
    id: fc.oneof(hostile, fc.constantFrom('dup', 'd\u00e9p', 'task-1')),
    name: hostile,
    framework_id: fc.constantFrom('F0', 'F1'),
    executor_id: fc.constantFrom('', 'ex', 'grp'),
    slave_id: fc.constantFrom('S0', 'S1', 'S2'),
    state: fc.constantFrom('TASK_RUNNING', 'TASK_FINISHED', 'TASK_UNREACHABLE', 'TASK_STAGING'),
    user: hostile,
    resources: junk,
    statuses: fc.array(fc.record({ state: fc.constant('TASK_RUNNING'), timestamp: fc.double({ noNaN: true, noDefaultInfinity: true }), extra: junk }, { requiredKeys: ['state'] }), { maxLength: 4 }),
    labels: junk,
  },
  { requiredKeys: ['id'] },
)
const frameworkArb = (id: string) =>
  fc.record({
    id: fc.constant(id),
    name: hostile,
    user: hostile,
    hostname: hostile,
    active: fc.boolean(),
    offers: junk,
    tasks: fc.array(taskArb, { maxLength: 5 }),
    completed_tasks: fc.array(taskArb, { maxLength: 3 }),
    executors: fc.array(fc.record({ executor_id: fc.constantFrom('ex', 'grp'), type: fc.constantFrom('DEFAULT', 'CUSTOM'), command: junk }), { maxLength: 2 }),
  })
const agentArb = fc.record({
  id: fc.constantFrom('S0', 'S1', 'S2'),
  hostname: hostile,
  pid: hostile,
  port: fc.integer({ min: 1, max: 65535 }),
  active: fc.boolean(),
  version: hostile,
  resources: junk,
})
const stateArb = fc.record({
  version: hostile,
  pid: hostile,
  leader: hostile,
  flags: fc.dictionary(hostile, hostile, { maxKeys: 3 }),
  slaves: fc.uniqueArray(agentArb, { selector: (a) => a.id, maxLength: 3 }),
  frameworks: fc.tuple(frameworkArb('F0'), frameworkArb('F1')).map((x) => [...x]),
  completed_frameworks: fc.array(frameworkArb('F9'), { maxLength: 1 }),
  other: junk,
})

describe('the scanner against JSON.parse (property tests)', () => {
  it('builds the index JSON.parse would, for random documents, whitespace and chunkings', async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, fc.constantFrom(0, 1, 2), fc.array(fc.nat(), { maxLength: 6 }), async (st, indent, cuts) => {
        const doc = JSON.stringify(st, null, indent)
        const got = await scanned(splitAt(Buffer.from(doc), cuts))
        expect({ tasks: got.tasks, agents: got.agents, frameworks: got.frameworks }).toEqual(expectedIndex(doc))
        expect(got.got.pid).toBe(st.pid)
      }),
      { numRuns: 300 },
    )
  })

  it('decodes any value exactly as JSON.parse does, raw non-UTF-8 bytes included', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.uint8Array({ maxLength: 8 }), (v, raw) => {
        const doc = Buffer.from(JSON.stringify({ v, s: 'x' }))
        // splice raw bytes (0x80 and above, as Mesos writes them unvalidated) into the string "x"
        const at = doc.lastIndexOf('"x"') + 1
        const bytes = Buffer.from([...raw].filter((b) => b >= 0x80))
        const body = Buffer.concat([doc.subarray(0, at), bytes, doc.subarray(at)])
        const expected: unknown = JSON.parse(body.toString('utf8'))
        expect(new Reader(body, 0, body.length).value()).toEqual(expected)
      }),
      { numRuns: 500 },
    )
  })

  it('a filter keeps exactly the tasks the matcher would select, with every ID, however the document is cut', async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, fc.oneof(fc.string({ maxLength: 2 }), fc.constantFrom('task', 'é', 'd*')), fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom(0, 4, 100), fc.constantFrom(100, 1000, 1e6, undefined), async (st, frag, cuts, fullUpTo, fullBytes) => {
        const doc = JSON.stringify(st)
        const keep = matcherFor(frag)
        // the full index's tasks held as bytes up to fullBytes, or read as they come
        const opts = { keep, keepNeeds: literalOf(frag), ids: true, fullUpTo, ...(fullBytes === undefined ? {} : { fullBytes }) }
        const got = { got: await collectState(from(splitAt(Buffer.from(doc), cuts)), opts) }
        const all = expectedIndex(doc)
        expect(got.got.tasks).toEqual(all.tasks.filter((t) => keep(t.id)))
        const listings = [...st.frameworks, ...st.completed_frameworks].flatMap((f) => [...f.tasks, ...f.completed_tasks])
        const bytes = listings.reduce((n, t) => n + Buffer.byteLength(JSON.stringify(t)), 0)
        if (fullUpTo > 0 && listings.length <= fullUpTo && (fullBytes === undefined || bytes <= fullBytes)) expect(got.got.full).toEqual(all)
        else expect(got.got.full).toBeUndefined()
        // the completion lists leave out what no shell could offer: empty IDs and IDs with a newline
        expect(new Set(got.got.ids?.all)).toEqual(new Set(all.tasks.map((t) => t.id).filter((id) => id !== '' && !id.includes('\n'))))
        const offered = (ts: typeof all.tasks) => new Set(ts.map((t) => t.id).filter((id) => id !== '' && !id.includes('\n')))
        expect(new Set(got.got.ids?.active)).toEqual(offered(all.tasks.filter((t) => !isTerminal(t.state))))
      }),
      { numRuns: 100 },
    )
  })
})
