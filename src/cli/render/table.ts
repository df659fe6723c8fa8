/**
 * Aligned tables for listing commands: a header row (unless dropped), columns separated by two
 * spaces, numbers right-aligned. On a terminal narrower than the table (spec 1.1), free-text
 * columns (COMMAND, NAME) shrink first, cut at the end; then long identifiers (IDs, hostnames) are
 * shortened in the middle with `…`, never so far that two of them look alike. Piped, or with
 * `--wide`, nothing is shortened.
 */

export interface Column {
  header: string
  align?: 'left' | 'right'
  /** Free text that may be cut at the end to fit the terminal. */
  shrink?: boolean
  /** An identifier that may be shortened in the middle, staying unique within the column. */
  id?: boolean
}

export interface TableOptions {
  headers: boolean
  /** Terminal width; undefined when piped or with --wide. */
  width?: number
}

const GAP = '  '
const MIN_SHRUNK = 8
const MIN_ID = 9

function cut(s: string, w: number): string {
  return s.length <= w ? s : w <= 1 ? s.slice(0, w) : `${s.slice(0, w - 1)}…`
}

/** `abcdef…uvwxyz`: both ends kept, since Mesos IDs share prefixes and differ at their ends. */
export function middle(s: string, w: number): string {
  if (s.length <= w) return s
  if (w <= 1) return s.slice(0, w)
  const tail = Math.floor((w - 1) / 2)
  return `${s.slice(0, w - 1 - tail)}…${tail > 0 ? s.slice(-tail) : ''}`
}

/** The narrowest width (not below `floor`) at which the values, shortened in the middle, stay distinct. */
function uniqueWidth(values: readonly string[], floor: number, natural: number): number {
  const distinct = new Set(values).size
  for (let w = Math.min(floor, natural); w < natural; w++) {
    if (new Set(values.map((v) => middle(v, w))).size === distinct) return w
  }
  return natural
}

function fit(columns: readonly Column[], rows: readonly string[][], widths: number[], width: number): void {
  let excess = widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1) - width
  const take = (i: number, floor: number) => {
    const n = Math.min(excess, Math.max(0, widths[i]! - floor))
    widths[i]! -= n
    excess -= n
  }
  // free text first, the widest first
  const text = columns.map((c, i) => i).filter((i) => columns[i]!.shrink).sort((a, b) => widths[b]! - widths[a]!)
  for (const i of text) if (excess > 0) take(i, Math.max(MIN_SHRUNK, columns[i]!.header.length))
  if (excess <= 0) return
  const ids = columns.map((c, i) => i).filter((i) => columns[i]!.id)
  const floors = new Map(ids.map((i) => [i, uniqueWidth(rows.map((r) => r[i] ?? ''), Math.max(MIN_ID, columns[i]!.header.length), widths[i]!)]))
  // shorten the longest identifiers first, a column at a time down to the width of the next
  while (excess > 0) {
    const open = ids.filter((i) => widths[i]! > floors.get(i)!).sort((a, b) => widths[b]! - widths[a]!)
    if (open.length === 0) return
    const [first, second] = open
    const target = Math.max(floors.get(first!)!, second === undefined ? 0 : widths[second]! - 1)
    take(first!, target)
  }
}

export function renderTable(columns: readonly Column[], rows: readonly string[][], opts: TableOptions): string {
  const all = opts.headers ? [columns.map((c) => c.header), ...rows] : [...rows]
  if (all.length === 0) return ''
  const widths = columns.map((_, i) => Math.max(0, ...all.map((r) => (r[i] ?? '').length)))
  if (opts.width !== undefined) fit(columns, rows, widths, opts.width)
  const last = columns.length - 1
  return all
    .map((r) =>
      columns
        .map((c, i) => {
          const raw = r[i] ?? ''
          const v = c.id ? middle(raw, widths[i]!) : cut(raw, widths[i]!)
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
