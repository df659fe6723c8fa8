/** Pure pieces: fitting tables, bash's COMP_LINE words, simulator pointers, the pager choice, debug env. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lineWords } from '../../src/cli/complete-command.js'
import { pagerCommand } from '../../src/cli/render/pager.js'
import { middle, renderTable } from '../../src/cli/render/table.js'
import { debugFromEnv } from '../../src/core/config/debug-env.js'
import { colorWanted } from '../../src/core/output/io.js'
import { liveSimulators } from '../../src/sim/pointer.js'

describe('tables that fit', () => {
  const columns = [{ header: 'ID', id: true }, { header: 'COMMAND', shrink: true }, { header: 'USER' }]
  const rows = [
    ['ab12cd34-0000-1111-2222-333344445555-0000', 'sh -c "while true; do echo hi; sleep 1; done"', 'root'],
    ['ab12cd34-0000-1111-2222-333344445555-0001', 'java -jar app.jar', 'www'],
  ]

  it('cuts free text first, then shortens IDs in the middle, keeping them distinct', () => {
    const out = renderTable(columns, rows, { headers: true, width: 40 }).trimEnd().split('\n')
    for (const l of out) expect(l.length).toBeLessThanOrEqual(40)
    const ids = out.slice(1).map((l) => l.split(/\s+/)[0]!)
    expect(ids[0]).toMatch(/^ab12.*….*0000$/)
    expect(new Set(ids).size).toBe(2)
    expect(out[1]).toContain('sh -c "…')
  })

  it('shortens nothing when it fits, when piped (no width) or with a huge width', () => {
    for (const width of [undefined, 500]) expect(renderTable(columns, rows, { headers: false, width })).not.toContain('…')
  })

  it('middle keeps both ends', () => {
    expect(middle('taskmanager-00001', 9)).toBe('task…0001')
    expect(middle('short', 9)).toBe('short')
  })
})

describe('bash complete -C', () => {
  it('splits COMP_LINE as bash would, quotes and escapes undone; the last word may be empty', () => {
    expect(lineWords('mesos tail -f ')).toEqual(['mesos', 'tail', '-f', ''])
    expect(lineWords(`mesos cat 'my task' a\\ b "x`)).toEqual(['mesos', 'cat', 'my task', 'a b', 'x'])
  })
})

describe('simulator pointers', () => {
  it('keeps the live ones and removes those of dead processes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesos-ptr-'))
    try {
      const uid = process.getuid?.() ?? 0
      writeFileSync(join(dir, `mesos-sim-${uid}-${process.pid}.json`), JSON.stringify({ control: 'http://127.0.0.1:1', pid: process.pid }))
      writeFileSync(join(dir, `mesos-sim-${uid}-999999999.json`), JSON.stringify({ control: 'http://127.0.0.1:2', pid: 999999999 }))
      expect(liveSimulators(dir)).toEqual([{ control: 'http://127.0.0.1:1', leader: undefined, pid: process.pid }])
      expect(liveSimulators(dir)).toHaveLength(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('environment', () => {
  it('pager: MESOS_PAGER, then PAGER, then less -FRX; empty or cat means none', () => {
    expect(pagerCommand({})).toBe('less -FRX')
    expect(pagerCommand({ PAGER: 'more', MESOS_PAGER: 'most' })).toBe('most')
    expect(pagerCommand({ PAGER: '' })).toBeUndefined()
    expect(pagerCommand({ MESOS_PAGER: 'cat' })).toBeUndefined()
  })
  it('NO_COLOR only when non-empty', () => {
    expect(colorWanted(true, { NO_COLOR: '' }, false)).toBe(true)
    expect(colorWanted(true, { NO_COLOR: '1' }, false)).toBe(false)
  })
  it('DEBUG must name mesos', () => {
    expect(debugFromEnv({ DEBUG: 'express:*' })).toBe(false)
    expect(debugFromEnv({ DEBUG: 'express:*,mesos:http' })).toBe(true)
    expect(debugFromEnv({ DEBUG: '*' })).toBe(true)
    expect(debugFromEnv({ MESOS_CLI_DEBUG: '0' })).toBe(false)
    expect(debugFromEnv({ DEBUG: '1' })).toBe(true)
    expect(debugFromEnv({ DEBUG: 'true' })).toBe(true)
    expect(debugFromEnv({ DEBUG: '0' })).toBe(false)
    expect(debugFromEnv({ DEBUG: 'false' })).toBe(false)
  })
})
