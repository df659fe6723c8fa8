/** Where a running `mesos sim up` leaves its control address for `mesos sim ctl`. */
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export function pointerFile(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0
  return join(tmpdir(), `mesos-sim-${uid}.json`)
}
