/**
 * Where a running `mesos sim up` leaves its control address for `mesos sim ctl`: one file per
 * simulator process (`mesos-sim-<uid>-<pid>.json`), so a second simulator that starts and exits
 * never takes the first one's away, and `sim ctl` can tell live simulators from dead ones.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const uid = () => (typeof process.getuid === 'function' ? process.getuid() : 0)

/** This process's pointer file (the simulator writes it on start and removes it on exit). */
export function pointerFile(pid: number = process.pid): string {
  return join(tmpdir(), `mesos-sim-${uid()}-${pid}.json`)
}

export interface SimPointer {
  control: string
  leader?: string
  pid: number
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The simulators of this user that still run, oldest pid first; pointers of dead ones are removed. */
export function liveSimulators(dir: string = tmpdir()): SimPointer[] {
  const prefix = `mesos-sim-${uid()}-`
  const found: SimPointer[] = []
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  for (const name of names) {
    const m = name.startsWith(prefix) && /^(\d+)\.json$/.exec(name.slice(prefix.length))
    if (!m) continue
    const file = join(dir, name)
    const pid = Number(m[1])
    if (!alive(pid)) {
      rmSync(file, { force: true })
      continue
    }
    try {
      const p = JSON.parse(readFileSync(file, 'utf8')) as Partial<SimPointer>
      if (typeof p.control === 'string') found.push({ control: p.control, leader: p.leader, pid })
    } catch {
      // being written right now, or not ours: skip it
    }
  }
  return found.sort((a, b) => a.pid - b.pid)
}
