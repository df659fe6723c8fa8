/** The pure parts of the container client: records, wait call by version, exit codes, pre-checks. */
import { describe, expect, it } from 'vitest'
import { RecordIODecoder } from '../../src/core/events/recordio.js'
import { assertExecutable, ContainerError, refusal } from '../../src/core/container/errors.js'
import {
  decodeProcessIo,
  eofRecord,
  exitCodeOf,
  heartbeatRecord,
  inputHello,
  launchSessionCall,
  stdinRecord,
  supportsExec,
  ttyInfoRecord,
  waitCall,
} from '../../src/core/container/protocol.js'

const decode = (b: Buffer) => new RecordIODecoder().push(b).map((r) => JSON.parse(r.toString()))
const parent = { value: 'p' }

describe('records', () => {
  it('frames ATTACH_CONTAINER_INPUT records as RecordIO: hello, stdin, EOF, TTY_INFO, heartbeat', () => {
    const stream = Buffer.concat([
      inputHello({ parent, value: 'c' }),
      stdinRecord(Buffer.from([0, 255])),
      eofRecord(false),
      eofRecord(true),
      ttyInfoRecord({ rows: 24, columns: 80 }),
      heartbeatRecord(30_000),
    ])
    const [hello, data, eof, eot, tty, beat] = decode(stream)
    expect(hello).toEqual({ type: 'ATTACH_CONTAINER_INPUT', attach_container_input: { type: 'CONTAINER_ID', container_id: { parent, value: 'c' } } })
    expect(data.attach_container_input.process_io).toEqual({ type: 'DATA', data: { type: 'STDIN', data: 'AP8=' } })
    expect(eof.attach_container_input.process_io.data.data).toBe('')
    expect(Buffer.from(eot.attach_container_input.process_io.data.data, 'base64')).toEqual(Buffer.from([4]))
    expect(tty.attach_container_input.process_io.control).toEqual({ type: 'TTY_INFO', tty_info: { window_size: { rows: 24, columns: 80 } } })
    expect(beat.attach_container_input.process_io.control.heartbeat.interval).toEqual({ nanoseconds: 30e9 })
  })

  it('launches argv without a shell; tty_info only when a TTY is wanted', () => {
    const call = launchSessionCall({ parent, value: 'c' }, ['ls', '-l', 'a b'], false)
    expect(call.launch_nested_container_session).toEqual({
      container_id: { parent, value: 'c' },
      command: { value: 'ls', arguments: ['ls', '-l', 'a b'], shell: false },
    })
    expect((launchSessionCall({ parent, value: 'c' }, ['sh'], true).launch_nested_container_session as Record<string, unknown>).container).toEqual({
      type: 'MESOS',
      tty_info: {},
    })
  })

  it('decodes ProcessIO DATA to bytes', () => {
    const rec = Buffer.from(JSON.stringify({ type: 'DATA', data: { type: 'STDERR', data: Buffer.from([1, 2]).toString('base64') } }))
    expect(decodeProcessIo(rec)).toEqual({ kind: 'stderr', bytes: Buffer.from([1, 2]) })
    expect(decodeProcessIo(Buffer.from('{"type":"CONTROL","control":{"type":"HEARTBEAT"}}')).kind).toBe('heartbeat')
  })
})

describe('versions and exit codes', () => {
  it('WAIT_CONTAINER from 1.5, WAIT_NESTED_CONTAINER on 1.1–1.4; exec from 1.2', () => {
    expect(waitCall(parent, '1.11.0').type).toBe('WAIT_CONTAINER')
    expect(waitCall(parent, '1.4.3').type).toBe('WAIT_NESTED_CONTAINER')
    expect(waitCall(parent).type).toBe('WAIT_CONTAINER')
    expect([supportsExec('1.1.0'), supportsExec('1.2.0'), supportsExec('0.28.2'), supportsExec(undefined)]).toEqual([false, true, false, true])
  })

  it('maps wait(2) statuses: exited → code, signaled → 128 + signal', () => {
    expect(exitCodeOf(0)).toBe(0)
    expect(exitCodeOf(3 << 8)).toBe(3)
    expect(exitCodeOf(9)).toBe(137)
    expect(exitCodeOf(15 | 0x80)).toBe(143)
    expect(exitCodeOf(undefined)).toBe(1)
  })
})

describe('typed failures', () => {
  it('refuses not running, Docker and pre-1.2 agents before any request', () => {
    const reason = (t: Parameters<typeof assertExecutable>[0]) => {
      try {
        assertExecutable(t, supportsExec)
        return 'ok'
      } catch (e) {
        expect(e).toBeInstanceOf(ContainerError)
        return `${(e as ContainerError).reason}: ${(e as Error).message}`
      }
    }
    expect(reason({ state: 'TASK_FINISHED' })).toBe('not-running: the task is FINISHED, not running')
    expect(reason({ state: 'TASK_RUNNING', containerType: 'DOCKER' })).toMatch(/^docker: .*Docker containerizer/)
    expect(reason({ state: 'TASK_RUNNING', agentVersion: '1.1.0' })).toMatch(/^too-old: .*1\.2 or later/)
    expect(reason({ state: 'TASK_RUNNING', containerType: 'MESOS', agentVersion: '1.11.0' })).toBe('ok')
  })

  it('words agent refusals; all exit 1', () => {
    expect(refusal(403, '', 'launch').reason).toBe('forbidden')
    expect(refusal(401, '401 Unauthorized.', 'launch').reason).toBe('unauthorized')
    expect(refusal(400, 'Parent container x does not exist', 'launch').reason).toBe('not-running')
    expect(refusal(500, 'I/O switchboard server was disabled for this container', 'attach').reason).toBe('no-tty')
    expect(refusal(503, 'busy', 'launch').kind).toBe('failure')
  })
})
