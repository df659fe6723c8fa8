/** The completion entry's ID lists in a side file: binary-searched blocks equal the in-memory answers. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { CompletionCache, dataFromEntry } from '../../src/core/completion/cache.js'
import { IdList, joinIds, MAX_GROUPS, MAX_LISTED } from '../../src/core/completion/ids.js'

const dir = mkdtempSync(join(tmpdir(), 'mesos-ids-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let n = 0
function inFile(ids: string[], pad = ''): IdList {
  const joined = joinIds(ids)
  const text = joined === '' ? '' : `${joined}\n`
  const file = join(dir, `ids-${n++}`)
  writeFileSync(file, pad + text + pad)
  return IdList.inFile(file, Buffer.byteLength(pad), Buffer.byteLength(pad + text))
}

describe('IdList in a file', () => {
  it('finds the same prefix blocks and fragments as the in-memory list', () => {
    const id = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 }), fc.constantFrom('task-000001', 'task-000002', 'taskmanager', '\u{1F600}x', '\uffffz'))
    fc.assert(
      fc.property(fc.array(id, { maxLength: 40 }), fc.string({ maxLength: 3 }), fc.constantFrom('', 'zz\n'), (ids, prefix, pad) => {
        const mem = IdList.of(ids)
        const file = inFile(ids, pad)
        expect(file.prefixBlock(prefix)).toBe(mem.prefixBlock(prefix))
        for (const p of ids.slice(0, 3)) expect(file.prefixBlock(p.slice(0, 2))).toBe(mem.prefixBlock(p.slice(0, 2)))
        expect(file.matching(prefix)).toEqual(mem.matching(prefix))
        expect(file.joined).toBe(mem.joined)
      }),
      { numRuns: 300 },
    )
  })

  it('the cache keeps a big list beside its entry, and reads only what a TAB needs', async () => {
    const cache = new CompletionCache(join(dir, 'cache'), 60, 'm:5050', 'http')
    const all = Array.from({ length: 20_000 }, (_, i) => `task-${String(i).padStart(6, '0')}`)
    const entry = await cache.writeIds({ all, active: all.filter((_, i) => i % 2 === 0) }, [{ id: 'S0', hostname: 'h' }], Date.now())
    expect(entry.lists).toBeDefined()
    expect(entry.all).toBe('')
    const read = await cache.read()
    const data = dataFromEntry(read!)
    expect(data.all.prefixBlock('task-01999').split('\n')).toHaveLength(10)
    expect(data.active.prefixBlock('task-01999')).toBe('task-019990\ntask-019992\ntask-019994\ntask-019996\ntask-019998')
    expect(data.agents()).toEqual([{ id: 'S0', hostname: 'h' }])
    // a second write replaces the side file
    await cache.writeIds({ all: ['x'], active: [] }, [], Date.now())
    expect(dataFromEntry((await cache.read())!).all.prefixBlock('')).toBe('x')
  })

  it('a list of several sorted runs is written merged: the same bytes as one sort of every ID', async () => {
    const cache = new CompletionCache(join(dir, 'runs'), 60, 'm:5050', 'http')
    // 150,000 IDs in descending order, every one twice (two frameworks may list the same ID)
    const all = Array.from({ length: 150_000 }, (_, i) => `t-${String((149_999 - i) % 75_000).padStart(6, '0')}${i % 3 === 0 ? 'é' : ''}`)
    const active = all.filter((_, i) => i % 7 === 0)
    const entry = await cache.writeIds({ all, active }, [], Date.now())
    const want = `${joinIds(all)}\n${joinIds(active)}\n`
    expect(readFileSync(entry.lists!.file, 'utf8')).toBe(want)
    expect(entry.lists!.all).toEqual([0, Buffer.byteLength(`${joinIds(all)}\n`)])
    expect(entry.lists!.active[1]).toBe(Buffer.byteLength(want))
  })

  it('runs that share IDs but join to a small list stay inside the entry, with no side file', async () => {
    const cache = new CompletionCache(join(dir, 'dups'), 60, 'm:5050', 'http')
    const all = Array.from({ length: 200_000 }, (_, i) => `d-${i % 5000}`)
    const entry = await cache.writeIds({ all, active: [] }, [], Date.now())
    expect(entry.lists).toBeUndefined()
    expect(entry.all).toBe(joinIds(all))
    expect(readdirSync(join(dir, 'dups')).filter((f) => f.endsWith('.ids'))).toEqual([])
  })
})

const commonPrefix = (xs: string[]) => xs.reduce((p, x) => {
  let i = 0
  while (i < p.length && p[i] === x[i]) i++
  return p.slice(0, i)
})

describe('a TAB answer is bounded', () => {
  it('up to MAX_LISTED matches are listed; past it, groups that cover every match and share only its common prefix', () => {
    const id = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', '\u{1F600}'), maxLength: 7 })
    fc.assert(
      // long IDs make blocks too big to read whole: the file is then searched group by group. Mesos
      // refuses IDs longer than 255 bytes (NAME_MAX: an ID names a sandbox directory), and a block
      // is read whole below MAX_LISTED such IDs: 7 units of at most 4 bytes and 200 of padding stay under.
      fc.property(fc.array(id, { minLength: 900, maxLength: 2500 }), fc.constantFrom('', 'a', 'ab', 'b\u{1F600}', 'ccc'), fc.constantFrom(0, 200), (short, prefix, pad) => {
        const ids = short.map((x) => (pad ? `${x}-${'p'.repeat(pad)}` : x))
        const mem = IdList.of(ids)
        const file = inFile(ids)
        const answer = mem.prefixAnswer(prefix)
        expect(file.prefixAnswer(prefix)).toEqual(answer)
        const matches = mem.withPrefix(prefix)
        if (matches.length <= MAX_LISTED) {
          expect(answer).toEqual({ text: matches.join('\n'), grouped: false })
          return
        }
        expect(answer.grouped).toBe(true)
        const groups = answer.text.split('\n')
        expect(groups.length).toBeGreaterThanOrEqual(2)
        expect(groups.length).toBeLessThanOrEqual(MAX_GROUPS)
        expect([...groups].sort()).toEqual(groups)
        expect(commonPrefix(groups)).toBe(commonPrefix(matches))
        // every match under exactly one group, and no group without a match
        for (const m of matches) expect(groups.filter((g) => m.startsWith(g))).toHaveLength(1)
        for (const g of groups) {
          expect(matches.some((m) => m.startsWith(g))).toBe(true)
          expect(g).not.toMatch(/[\ud800-\udbff]$/) // never half of a surrogate pair
        }
      }),
      { numRuns: 40, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true }, // a failure with big arrays must not shrink for ever
    )
  })

  it('a 3-character prefix among a million IDs in the side file: a hundred groups', () => {
    const ids = Array.from({ length: 1_000_000 }, (_, i) => `task-${String(i).padStart(6, '0')}`)
    const file = inFile(ids)
    const tas = file.prefixAnswer('tas')
    expect(tas.grouped).toBe(true)
    expect(tas.text.split('\n')).toEqual(Array.from({ length: 100 }, (_, i) => `task-${String(i).padStart(2, '0')}`))
    expect(file.prefixAnswer('task-12').text.split('\n')).toEqual(Array.from({ length: 100 }, (_, i) => `task-12${String(i).padStart(2, '0')}`))
    expect(file.prefixAnswer('task-1234')).toEqual({ text: ids.slice(123400, 123500).join('\n'), grouped: false })
    expect(file.prefixAnswer('x')).toEqual({ text: '', grouped: false })
  })
})
