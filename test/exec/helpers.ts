/** Shared by the exec/attach/describe tests: the process groups alive on this machine, read from /proc. */
import { readdirSync, readFileSync } from 'node:fs'

/** PIDs whose process group is `pgid` (field 5 of /proc/PID/stat, after the parenthesised name). */
export function membersOfGroup(pgid: number): number[] {
  const pids: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue // gone meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // fields: state ppid pgrp ...; a zombie is dead already
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(name))
  }
  return pids
}
