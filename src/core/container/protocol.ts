/**
 * The agent v1 exec/attach wire format (reference §5.4), as pure functions: the calls, the
 * ATTACH_CONTAINER_INPUT records (RecordIO-framed), ProcessIO decoding, the wait call for the
 * agent's version, and exit status mapping.
 */
import { encodeRecord } from '../events/recordio.js'

export interface ContainerId {
  value: string
  parent?: ContainerId
}

export interface WindowSize {
  rows: number
  columns: number
}

type J = Record<string, unknown>

export function launchSessionCall(id: ContainerId & { parent: ContainerId }, command: string[], tty: boolean): J {
  const [value = '', ...rest] = command
  return {
    type: 'LAUNCH_NESTED_CONTAINER_SESSION',
    launch_nested_container_session: {
      container_id: id,
      command: { value, arguments: [value, ...rest], shell: false },
      // tty_info's window_size would be ignored by the agent: the size goes over the input connection
      ...(tty ? { container: { type: 'MESOS', tty_info: {} } } : {}),
    },
  }
}

export const attachOutputCall = (id: ContainerId): J => ({
  type: 'ATTACH_CONTAINER_OUTPUT',
  attach_container_output: { container_id: id },
})

const inputRecord = (attach: J): Buffer =>
  encodeRecord(JSON.stringify({ type: 'ATTACH_CONTAINER_INPUT', attach_container_input: attach }))
const processIo = (pio: J): Buffer => inputRecord({ type: 'PROCESS_IO', process_io: pio })

/** The first record of ATTACH_CONTAINER_INPUT names the container. */
export const inputHello = (id: ContainerId): Buffer => inputRecord({ type: 'CONTAINER_ID', container_id: id })

export const stdinRecord = (bytes: Buffer): Buffer =>
  processIo({ type: 'DATA', data: { type: 'STDIN', data: bytes.toString('base64') } })

/** End of input: an empty DATA record without a TTY; with one, EOT (what Ctrl-D types). */
export const eofRecord = (tty: boolean): Buffer => stdinRecord(tty ? Buffer.from([0x04]) : Buffer.alloc(0))

export const ttyInfoRecord = (size: WindowSize): Buffer =>
  processIo({
    type: 'CONTROL',
    control: { type: 'TTY_INFO', tty_info: { window_size: { rows: size.rows, columns: size.columns } } },
  })

export const heartbeatRecord = (intervalMs: number): Buffer =>
  processIo({
    type: 'CONTROL',
    control: { type: 'HEARTBEAT', heartbeat: { interval: { nanoseconds: Math.round(intervalMs * 1e6) } } },
  })

export type ProcessIoEvent =
  | { kind: 'stdout' | 'stderr'; bytes: Buffer }
  | { kind: 'heartbeat' }
  | { kind: 'other' }

/** One ProcessIO record of an output stream. */
export function decodeProcessIo(record: Buffer): ProcessIoEvent {
  const msg = JSON.parse(record.toString('utf8')) as { type?: string; data?: { type?: string; data?: string } }
  if (msg.type === 'DATA' && (msg.data?.type === 'STDOUT' || msg.data?.type === 'STDERR'))
    return {
      kind: msg.data.type === 'STDOUT' ? 'stdout' : 'stderr',
      bytes: Buffer.from(msg.data.data ?? '', 'base64'),
    }
  if (msg.type === 'CONTROL') return { kind: 'heartbeat' }
  return { kind: 'other' }
}

/** [major, minor] of a Mesos version string, or undefined. */
export function parseVersion(version: string | undefined): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '')
  return m ? [Number(m[1]), Number(m[2])] : undefined
}

const atLeast = (v: [number, number], major: number, minor: number) => v[0] > major || (v[0] === major && v[1] >= minor)

/** LAUNCH_NESTED_CONTAINER_SESSION and ATTACH_CONTAINER_* exist from 1.2. */
export function supportsExec(version: string | undefined): boolean {
  const v = parseVersion(version)
  return v === undefined || atLeast(v, 1, 2)
}

/** WAIT_CONTAINER from 1.5; 1.1–1.4 have only WAIT_NESTED_CONTAINER. Unknown version: the new one. */
export function waitCall(id: ContainerId, version?: string): J {
  const v = parseVersion(version)
  return v && !atLeast(v, 1, 5)
    ? { type: 'WAIT_NESTED_CONTAINER', wait_nested_container: { container_id: id } }
    : { type: 'WAIT_CONTAINER', wait_container: { container_id: id } }
}

export const legacyWaitCall = (id: ContainerId): J => ({
  type: 'WAIT_NESTED_CONTAINER',
  wait_nested_container: { container_id: id },
})

/**
 * A wait(2) status as a shell exit code: WIFSIGNALED → 128 + WTERMSIG, WIFEXITED → WEXITSTATUS.
 * A status the agent did not report (a container destroyed before it ran) is 1.
 */
export function exitCodeOf(status: number | undefined): number {
  if (status === undefined) return 1
  const signal = status & 0x7f
  if (signal !== 0 && signal !== 0x7f) return 128 + signal
  return (status >> 8) & 0xff
}
