/** How a sandbox listing looks: `ls -la` lines. */
import { safe } from '../../core/output/terminal.js'
import type { ListedEntry } from '../../core/sandbox/service.js'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function two(n: number): string {
  return String(n).padStart(2, '0')
}

/** `Mon DD HH:MM` in local time, as `ls -l` shows recent files. */
export function lsTime(mtimeSec: number): string {
  const d = new Date(mtimeSec * 1000)
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${two(d.getHours())}:${two(d.getMinutes())}`
}

/** `MODE NLINK UID GID SIZE MON DD HH:MM NAME`, columns aligned, sizes right-aligned. */
export function formatLs(listed: readonly ListedEntry[]): string {
  const entries = listed.map((e) => ({ ...e, mode: safe(e.mode), uid: safe(e.uid), gid: safe(e.gid), name: safe(e.name) }))
  const w = { nlink: 0, uid: 0, gid: 0, size: 0 }
  for (const e of entries) {
    w.nlink = Math.max(w.nlink, String(e.nlink).length)
    w.uid = Math.max(w.uid, e.uid.length)
    w.gid = Math.max(w.gid, e.gid.length)
    w.size = Math.max(w.size, String(e.size).length)
  }
  return entries
    .map(
      (e) =>
        `${e.mode} ${String(e.nlink).padStart(w.nlink)} ${e.uid.padEnd(w.uid)} ${e.gid.padEnd(w.gid)} ${String(e.size).padStart(w.size)} ${lsTime(e.mtime)} ${e.name}\n`,
    )
    .join('')
}
