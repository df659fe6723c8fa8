/** Shared by the exec/attach/describe tests: processes on this machine, read from /proc. */
import { readdirSync, readFileSync, statSync } from 'node:fs'

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

/** PIDs of the processes named `comm` whose controlling terminal is `tty` (field 7 of /proc/PID/stat). */
export function processesOnTerminal(tty: string, comm: string): number[] {
  const device = statSync(tty).rdev
  const pids: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue
    }
    const own = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (own === comm && Number(fields[4]) === device) pids.push(Number(name))
  }
  return pids
}
