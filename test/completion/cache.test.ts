/** The completion cache entry and the completion's view of the config, on real temporary files. */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DiskCache } from '../../src/core/cache/disk.js'
import { taskIndexKey } from '../../src/core/cache/keys.js'
import { CompletionCache, dataFromEntry, entryFromIndex } from '../../src/core/completion/cache.js'
import { readCompletionConfig } from '../../src/core/completion/config.js'
import type { TaskIndex, TaskView } from '../../src/core/tasks/model.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mesos-complete-cache-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const task = (id: string, state: string, frameworkId = 'fw1'): TaskView => ({
  id,
  name: id,
  state,
  frameworkId,
  executorId: id,
  taskGroup: false,
  agentId: 'S0',
})
const index = (now: number, tasks: TaskView[]): TaskIndex => ({
  master: '127.0.0.1:5050',
  fetchedAt: now,
  tasks,
  frameworks: [],
  agents: [{ id: 'S0', hostname: 'node-1', pid: 'slave(1)@127.0.0.1:5051' }],
})

describe('completion cache entry', () => {
  it('keeps active IDs, and all IDs for -i; a terminal duplicate of an active ID stays active', () => {
    const e = entryFromIndex(
      index(0, [task('b', 'TASK_RUNNING'), task('a', 'TASK_FINISHED'), task('c', 'TASK_UNREACHABLE'), task('b', 'TASK_FAILED', 'fw2')]),
      0,
    )
    expect(e.active).toBe('b\nc')
    expect(e.all).toBe('a\nb\nc')
    const d = dataFromEntry(e)
    expect(d.active.withPrefix('')).toEqual(['b', 'c'])
    expect(d.all.withPrefix('')).toEqual(['a', 'b', 'c'])
    expect(d.agents()).toEqual([{ id: 'S0', hostname: 'node-1' }])
    // an entry written before agentsText
    expect(dataFromEntry({ ...e, agentsText: undefined, agents: [['S1', 'node-2']] }).agents()).toEqual([{ id: 'S1', hostname: 'node-2' }])
  })

  it('is trusted for cache_ttl counted from the index fetch, then dropped', async () => {
    let now = 1_000_000
    const cache = new CompletionCache(dir, 5, 'm:5050', 'http', () => now)
    await cache.write(index(now - 2000, [task('t1', 'TASK_RUNNING')]))
    expect((await cache.read())?.active).toBe('t1')
    now += 3500 // 5.5 s after the fetch
    expect(await cache.read()).toBeUndefined()
  })

  it('is derived again when the task index on disk is newer', async () => {
    const now = Date.now()
    const disk = new DiskCache(dir, 60, () => now)
    const cache = new CompletionCache(dir, 60, 'm:5050', 'http', () => now)
    await disk.set(taskIndexKey('m:5050', 'http'), index(now, [task('old', 'TASK_RUNNING')]))
    const file = disk.fileFor(taskIndexKey('m:5050', 'http'))
    utimesSync(file, new Date(now - 10_000), new Date(now - 10_000))
    await cache.write(index(now, [task('old', 'TASK_RUNNING')]))
    expect((await cache.read())?.active).toBe('old')
    // another command refreshed the index: the compact entry no longer counts
    await disk.set(taskIndexKey('m:5050', 'http'), index(now, [task('new', 'TASK_RUNNING')]))
    utimesSync(file, new Date(now + 10_000), new Date(now + 10_000))
    expect(await cache.read()).toBeUndefined()
    expect((await cache.readIndex())?.tasks.map((t) => t.id)).toEqual(['new'])
  })

  it('cache_ttl 0 disables it', async () => {
    const cache = new CompletionCache(dir, 0, 'm:5050', 'http')
    await cache.write(index(Date.now(), [task('t1', 'TASK_RUNNING')]))
    expect(await cache.read()).toBeUndefined()
  })
})

describe('completion config', () => {
  it('reads profiles and the active profile, with comments, env and flags on top', async () => {
    writeFileSync(
      join(dir, '.mesos.json'),
      `{
  // comments are allowed
  "profile": "staging",
  "default": { "master": "a:5050" },
  "staging": { "master": "b:5050", "scheme": "https", "cache_ttl": 30, },
}`,
    )
    const c = await readCompletionConfig({}, dir, '/nonexistent', {})
    expect(c.file).toBe(join(dir, '.mesos.json'))
    expect([c.profileName, c.master, c.scheme, c.cacheTtl]).toEqual(['staging', 'b:5050', 'https', 30])
    const d = await readCompletionConfig({ MESOS_CLI_PROFILE: 'default' }, dir, '/nonexistent', {})
    expect([d.profileName, d.master, d.scheme, d.cacheTtl]).toEqual(['default', 'a:5050', 'http', 5])
    const e = await readCompletionConfig({ MESOS_MASTER: 'env:1' }, dir, '/nonexistent', { master: 'flag:2' })
    expect(e.master).toBe('flag:2')
  })

  it('a broken or missing file completes as defaults', async () => {
    writeFileSync(join(dir, 'broken.json'), '{ "default": ')
    const c = await readCompletionConfig({ MESOS_CLI_CONFIG: 'broken.json' }, dir, '/nonexistent', {})
    expect([c.profileName, c.master, c.cacheTtl]).toEqual(['default', 'localhost:5050', 5])
    const none = await readCompletionConfig({}, dir, dir, {})
    expect(none.file).toBeUndefined()
  })
})
