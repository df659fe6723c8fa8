/** The columns of `mesos top`, shared by the piped snapshot and the full-screen view. */
import type { TopRow } from '../../core/cluster/top.js'
import { amount, clockTime, type Column, humanBytes } from './table.js'

export const TOP_COLUMNS: readonly Column[] = [
  { header: '%CPU', align: 'right' },
  { header: 'CPUS', align: 'right' },
  { header: 'TIME', align: 'right' },
  { header: 'RSS', align: 'right' },
  { header: '%MEM', align: 'right' },
  { header: 'STATE' },
  // on a narrow terminal hostnames and IDs are shortened in the middle, still distinct
  { header: 'HOST', id: true },
  { header: 'ID', id: true },
]

export function topCells(r: TopRow): string[] {
  return [
    r.cpu_percent === null ? '-' : r.cpu_percent.toFixed(1),
    amount(r.cpus_limit ?? undefined),
    clockTime(r.cpu_time_secs ?? undefined),
    r.rss_bytes === null ? '-' : humanBytes(r.rss_bytes),
    r.mem_percent === null ? '-' : r.mem_percent.toFixed(1),
    r.state.replace(/^TASK_/, ''),
    r.hostname ?? '-',
    r.id,
  ]
}
