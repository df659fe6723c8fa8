/**
 * The live view of `mesos top` on a terminal: the alternate screen, redrawn after every poll, left
 * (and the screen and terminal modes restored) on `q`, Ctrl-C, a signal or any error, through the
 * lifecycle's exit cleanups as well as the normal path. Keys change the order (top-sort.ts) and
 * redraw at once, without a poll.
 */
import type { ReadStream } from 'node:tty'
import type { TopSampler, TopSnapshot } from '../../core/cluster/top.js'
import type { Deps } from '../../core/deps/index.js'
import { SilentExit } from '../../core/errors.js'
import { onExit } from '../../core/lifecycle.js'
import { safe } from '../../core/output/terminal.js'
import { renderTable } from './table.js'
import { TOP_COLUMNS, topCells } from './top-columns.js'
import { DEFAULT_SORT, nextSort, sortLabel, sortRows, type TopSort } from './top-sort.js'

const ENTER = '\x1b[?1049h\x1b[?25l'
const LEAVE = '\x1b[?25h\x1b[?1049l'

const KEYS = 'keys: c %CPU, m RSS, t TIME, n ID, s STATE, r reverse, q quit'

/** The screen's text: a status line, the keys, the table cut to the terminal. */
export function topScreen(
  s: TopSnapshot | undefined,
  o: { columns: number; rows: number; intervalSec: number; status: string; sort?: TopSort },
): string {
  const sort = o.sort ?? DEFAULT_SORT
  const tasks = s ? `${s.rows.length} task(s) on ${s.agents} agent(s)` : 'loading'
  const head = `mesos top - ${tasks}, every ${o.intervalSec}s - ${sortLabel(sort)} - ${o.status}`
  const lines = [safe(head).slice(0, o.columns), KEYS.slice(0, o.columns)]
  if (s) {
    const table = renderTable(TOP_COLUMNS, sortRows(s.rows, sort).map((r) => topCells(r).map(safe)), { headers: true, width: o.columns })
    lines.push(...table.split('\n').slice(0, Math.max(1, o.rows - 3)).map((l) => l.slice(0, o.columns)))
  }
  return `\x1b[H${lines.map((l) => `${l}\x1b[K`).join('\r\n')}\x1b[J`
}

export async function runTopScreen(deps: Deps, sampler: TopSampler, intervalSec: number): Promise<void> {
  // the screen is ours from here: no spinner under it
  deps.io.status?.(undefined)
  const out = deps.io.stdout as NodeJS.WriteStream
  const stdin = deps.io.stdin as ReadStream
  const quit = new AbortController()
  let interrupted = false
  const raw = deps.io.stdinIsTTY && typeof stdin.setRawMode === 'function'
  let sort = DEFAULT_SORT
  const onKey = (key: Buffer) => {
    if (key.includes(0x03)) interrupted = true
    if (interrupted || key.includes(0x71) || key.includes(0x51)) return quit.abort()
    let changed = false
    for (const ch of key.toString('latin1')) {
      const next = nextSort(sort, ch)
      if (next) [sort, changed] = [next, true]
    }
    if (changed) draw()
  }
  let restored = false
  const restore = () => {
    if (restored) return
    restored = true
    if (raw) {
      stdin.setRawMode(false)
      stdin.off('data', onKey)
      stdin.pause()
    }
    out.write(LEAVE)
  }
  const forget = onExit(restore)
  out.write(ENTER)
  if (raw) {
    stdin.setRawMode(true)
    stdin.on('data', onKey)
    stdin.resume()
  }
  let last: TopSnapshot | undefined
  let status = 'starting'
  const draw = () => out.write(topScreen(last, { columns: out.columns ?? 80, rows: out.rows ?? 24, intervalSec, status, sort }))
  out.on('resize', draw)
  const signal = AbortSignal.any([deps.signal, quit.signal])
  try {
    draw()
    while (!signal.aborted) {
      try {
        last = await sampler.poll()
        const time = new Date(deps.clock.now()).toISOString().slice(11, 19)
        status = last.problem ? `${time} UTC, ${last.problem.message}` : `${time} UTC`
      } catch (err) {
        // a master or agent outage is shown and ridden out; anything else ends the view
        if (!(err instanceof Error && err.name === 'MesosError') || (err as { kind?: string }).kind === 'usage' || (err as { kind?: string }).kind === 'no-match') throw err
        status = `waiting: ${err.message}`
      }
      draw()
      try {
        await deps.clock.sleep(intervalSec * 1000, signal)
      } catch {
        break
      }
    }
  } finally {
    out.off('resize', draw)
    restore()
    forget()
  }
  if (interrupted) throw new SilentExit(130)
}
