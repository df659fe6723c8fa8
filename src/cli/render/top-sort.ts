/** The orders of `mesos top`'s live view, chosen by a key; %CPU (highest first) is the default. */
import { byCpu, type TopRow } from '../../core/cluster/top.js'

export interface TopSort {
  key: 'cpu' | 'mem' | 'time' | 'id' | 'state'
  reverse: boolean
}

export const DEFAULT_SORT: TopSort = { key: 'cpu', reverse: false }

/** The keys, as shown in the header. */
export const SORT_KEYS: Record<string, TopSort['key']> = { c: 'cpu', m: 'mem', t: 'time', n: 'id', s: 'state' }

const LABELS: Record<TopSort['key'], string> = { cpu: '%CPU', mem: 'RSS', time: 'TIME', id: 'ID', state: 'STATE' }

const byId = (a: TopRow, b: TopRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
/** Largest first, unknown last, then by ID. */
const largest = (f: (r: TopRow) => number | null) => (a: TopRow, b: TopRow) => {
  const x = f(a) ?? -1
  const y = f(b) ?? -1
  return x !== y ? y - x : byId(a, b)
}

const ORDERS: Record<TopSort['key'], (a: TopRow, b: TopRow) => number> = {
  cpu: byCpu,
  mem: largest((r) => r.rss_bytes),
  time: largest((r) => r.cpu_time_secs),
  id: byId,
  state: (a, b) => (a.state < b.state ? -1 : a.state > b.state ? 1 : byCpu(a, b)),
}

export function sortRows(rows: readonly TopRow[], s: TopSort): TopRow[] {
  const order = ORDERS[s.key]
  return [...rows].sort(s.reverse ? (a, b) => order(b, a) : order)
}

export const sortLabel = (s: TopSort) => `sorted by ${LABELS[s.key]}${s.reverse ? ', reversed' : ''}`

/** The order after a key press: a column key picks it (in its natural direction), r reverses. */
export function nextSort(s: TopSort, key: string): TopSort | undefined {
  if (key === 'r') return { ...s, reverse: !s.reverse }
  const k = SORT_KEYS[key]
  return k ? { key: k, reverse: false } : undefined
}
