/** Shared by the exec/attach/describe tests: processes on this machine, read from /proc. */
import { readdirSync, readFileSync, statSync } from 'node:fs'

interface ProcStat {
  pid: number
  comm: string
  /** The fields after the parenthesised name: state ppid pgrp session tty_nr ... */
  fields: string[]
}

/** Every process's /proc/PID/stat, those that vanish meanwhile left out. */
function processes(): ProcStat[] {
  const out: ProcStat[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue // gone meanwhile
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
    out.push({ pid: Number(name), comm, fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') })
  }
  return out
}

/** PIDs whose process group is `pgid`; a zombie is dead already. */
export function membersOfGroup(pgid: number): number[] {
  return processes()
    .filter((p) => Number(p.fields[2]) === pgid && p.fields[0] !== 'Z')
    .map((p) => p.pid)
}

/** PIDs of the processes named `comm` whose controlling terminal is `tty`. */
export function processesOnTerminal(tty: string, comm: string): number[] {
  const device = statSync(tty).rdev
  return processes()
    .filter((p) => p.comm === comm && Number(p.fields[4]) === device)
    .map((p) => p.pid)
}
