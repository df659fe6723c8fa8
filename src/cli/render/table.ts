/**
 * Aligned tables for listing commands: a header row (unless dropped), columns separated by two
 * spaces, numbers right-aligned. On a terminal the table fits its width by truncating the columns
 * marked `shrink` (COMMAND, NAME), never IDs; piped, nothing is truncated.
 */

export interface Column {
  header: string
  align?: 'left' | 'right'
  /** May be truncated to fit the terminal. */
  shrink?: boolean
}

export interface TableOptions {
  headers: boolean
  /** Terminal width; undefined when piped. */
  width?: number
}

const GAP = '  '
const MIN_SHRUNK = 8

function cut(s: string, w: number): string {
  return s.length <= w ? s : w <= 1 ? s.slice(0, w) : `${s.slice(0, w - 1)}…`
}

export function renderTable(columns: readonly Column[], rows: readonly string[][], opts: TableOptions): string {
  const all = opts.headers ? [columns.map((c) => c.header), ...rows] : [...rows]
  if (all.length === 0) return ''
  const widths = columns.map((_, i) => Math.max(0, ...all.map((r) => (r[i] ?? '').length)))
  if (opts.width !== undefined) {
    let excess = widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1) - opts.width
    for (let i = 0; i < columns.length && excess > 0; i++) {
      if (!columns[i]!.shrink) continue
      const floor = Math.max(MIN_SHRUNK, columns[i]!.header.length)
      const take = Math.min(excess, Math.max(0, widths[i]! - floor))
      widths[i]! -= take
      excess -= take
    }
  }
  const last = columns.length - 1
  return all
    .map((r) =>
      columns
        .map((c, i) => {
          const v = cut(r[i] ?? '', widths[i]!)
          if (c.align === 'right') return v.padStart(widths[i]!)
          return i === last ? v : v.padEnd(widths[i]!)
        })
        .join(GAP)
        .trimEnd(),
    )
    .map((l) => `${l}\n`)
    .join('')
}

/** Bytes as `ls -h` does: 1024-based, one decimal below 10. */
export function humanBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-'
  const units = ['B', 'K', 'M', 'G', 'T', 'P']
  let v = n
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  if (u === 0) return `${Math.round(v)}B`
  return `${v < 10 ? v.toFixed(1) : Math.round(v)}${units[u]}`
}

/** Megabytes (Mesos' unit for mem and disk) as human bytes. */
export function humanMb(mb: number | undefined): string {
  return mb === undefined ? '-' : humanBytes(mb * 1024 * 1024)
}

/** Seconds as `H:MM:SS`. */
export function clockTime(sec: number | undefined): string {
  if (sec === undefined || !Number.isFinite(sec)) return '-'
  const s = Math.floor(sec)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}

/** A resource amount without float noise: 0.30000000000000004 → 0.3. */
export function amount(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-'
  return String(Math.round(n * 1000) / 1000)
}
