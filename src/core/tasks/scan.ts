/**
 * A byte-level scanner for the `/master/state` stream. It follows the document's structure a chunk
 * at a time (depth, strings, keys near the top) and hands over only the pieces the task index is
 * made of: each agent, each task and each executor as one complete value, a few framework fields,
 * and the top-level `pid` and `leader`. Everything else (resources, offers, labels, flags) is passed
 * over byte by byte, never decoded; memory is one piece at a time, whatever the document's size.
 */
import { Reader, ScanError } from './pick.js'

export { ScanError } from './pick.js'

export type TaskList = 'tasks' | 'unreachable_tasks' | 'completed_tasks'

/**
 * Receives the pieces; `buf[start, end)` holds one complete JSON value, or, for tasks and
 * executors, at least its beginning: they return where the value ended, or throw a ScanError if
 * it does not end before `end` (the scanner then gathers the rest from the next chunks). `buf` is
 * valid only during the call: a chunk's writer may reuse its memory for the next one.
 */
export interface StateSink {
  top(key: 'pid' | 'leader', value: unknown): void
  agent(buf: Buffer, start: number, end: number): void
  frameworkStart(completed: boolean): void
  frameworkField(key: string, value: unknown): void
  task(list: TaskList, buf: Buffer, start: number, end: number): number
  executor(buf: Buffer, start: number, end: number): number
  frameworkEnd(): void
}

const OBJ = 1
const ARR = 2

const FRAMEWORK_LISTS = new Set(['frameworks', 'completed_frameworks'])
const FRAMEWORK_FIELDS = new Set(['id', 'name', 'user', 'hostname', 'active'])
const TASK_LISTS = new Set(['tasks', 'unreachable_tasks', 'completed_tasks', 'executors'])
/** Top-level members whose shape the scanner relies on: each must be an array of objects. */
const LISTS = new Set(['slaves', 'frameworks', 'completed_frameworks'])

type Capture = 'top' | 'agent' | 'field' | 'unit'

export class StateScanner {
  private stack: number[] = []
  private expectKey = false
  /** Keys of the members being read at depth 1 (top level) and 3 (a framework). */
  private key1: string | undefined
  private key3: string | undefined
  private keyWanted = false
  private inString = false
  /** Parity of the backslashes that ended the previous chunk inside a string. */
  private escapedCarry = false
  private inScalar = false
  private scalarFirst = 0
  private scalarLen = 0
  private sawValue = false
  /** Where the piece being captured started in this chunk (0 when it began in an earlier one). */
  private mark = -1
  private markParts: Buffer[] = []
  private capture: Capture | undefined
  private captureDepth = 0
  private captureIsString = false
  private bytes = 0

  constructor(private readonly sink: StateSink) {}

  get bytesRead(): number {
    return this.bytes
  }

  write(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    const n = buf.length
    const stack = this.stack
    let i = 0
    this.current = buf
    while (i < n) {
      if (this.inString) {
        i = this.stringEnd(buf, i)
        continue
      }
      const c = buf[i]!
      if (this.inScalar) {
        if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          this.inScalar = false
          this.scalarEnds()
          if (this.capture !== undefined && !this.captureIsString && stack.length === this.captureDepth) this.finish(buf, i)
        } else {
          // numbers: digits, sign, point, exponent; literals: letters, checked by length at the end
          if (this.scalarFirst <= 0x39 ? !((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d) : c < 0x61 || c > 0x7a) this.bad(c)
          this.scalarLen++
          i++
          continue
        }
      }
      switch (c) {
        case 0x20:
        case 0x0a:
        case 0x0d:
        case 0x09:
          i++
          continue
        case 0x22: {
          const depth = stack.length
          if (this.expectKey) {
            this.keyWanted = this.capture === undefined && (depth === 1 || depth === 3)
            if (this.keyWanted) this.startMark(i)
          } else {
            this.valueStarts(depth, i, true)
          }
          this.inString = true
          this.escapedCarry = false
          i = this.stringEnd(buf, i + 1)
          continue
        }
        case 0x7b:
        case 0x5b: {
          if (this.expectKey) this.bad(c)
          if (c === 0x7b && this.capture === undefined && stack.length === 4 && FRAMEWORK_LISTS.has(this.key1!) && TASK_LISTS.has(this.key3!)) {
            // a task is read straight from the chunk when it ends there (nearly always): one pass over its bytes
            const end = this.unitInChunk(buf, i)
            if (end > 0) {
              i = end
              continue
            }
          }
          this.valueStarts(stack.length, i, false)
          stack.push(c === 0x7b ? OBJ : ARR)
          this.expectKey = c === 0x7b
          if (c === 0x7b && this.capture === undefined && stack.length === 3 && FRAMEWORK_LISTS.has(this.key1!)) {
            this.key3 = undefined
            this.sink.frameworkStart(this.key1 === 'completed_frameworks')
          }
          i++
          continue
        }
        case 0x7d:
        case 0x5d: {
          const top = stack.pop()
          if (top !== (c === 0x7d ? OBJ : ARR)) this.bad(c)
          this.expectKey = false
          const depth = stack.length
          if (this.capture !== undefined && depth === this.captureDepth) this.finish(buf, i + 1)
          else if (c === 0x7d && this.capture === undefined && depth === 2 && FRAMEWORK_LISTS.has(this.key1!)) this.sink.frameworkEnd()
          if (depth === 0) this.sawValue = true
          i++
          continue
        }
        case 0x3a:
          if (stack.at(-1) !== OBJ) this.bad(c)
          i++
          continue
        case 0x2c:
          if (stack.length === 0) this.bad(c)
          this.expectKey = stack.at(-1) === OBJ
          i++
          continue
        default: {
          if (this.expectKey || !((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x74 || c === 0x66 || c === 0x6e)) this.bad(c)
          this.valueStarts(stack.length, i, false)
          this.inScalar = true
          this.scalarFirst = c
          this.scalarLen = 1
          i++
        }
      }
    }
    this.bytes += n
    if (this.mark >= 0) {
      // the start of a piece that goes on in the next chunk: copied, since the chunk's memory may be reused
      this.markParts.push(Buffer.from(buf.subarray(this.mark)))
      this.mark = 0
    }
  }

  /** Ends the document: anything still open means the body was cut short. */
  end(): void {
    if (this.inString || this.stack.length > 0 || this.inScalar) throw new ScanError(`the document ends early (after ${this.bytes} bytes)`)
    if (!this.sawValue) throw new ScanError('the body is empty')
  }

  /** `true`, `false` and `null` by their length (their letters were checked one by one). */
  private scalarEnds(): void {
    const f = this.scalarFirst
    if (f > 0x39 && this.scalarLen !== (f === 0x66 ? 5 : 4)) throw new ScanError(`a bad literal at byte ${this.bytes}`)
  }

  private bad(c: number): never {
    const shown = c >= 0x20 && c < 0x7f ? `"${String.fromCharCode(c)}"` : `byte 0x${c.toString(16)}`
    throw new ScanError(`unexpected ${shown} at byte ${this.bytes}`)
  }

  /** A value begins at depth `depth` (before its container, if any, is pushed). */
  private valueStarts(depth: number, i: number, isString: boolean): void {
    if (depth === 0) {
      if (this.sawValue) throw new ScanError('more than one value in the body')
      if (this.buf0(i) !== 0x7b) throw new ScanError('the document is not a JSON object')
      return
    }
    if (this.capture !== undefined) return
    const c = this.buf0(i)
    if (depth === 1) {
      if (this.key1 === 'pid' || this.key1 === 'leader') this.startCapture('top', depth, i, isString)
      else if (LISTS.has(this.key1!) && c !== 0x5b && !(c === 0x6e)) throw new ScanError(`"${this.key1}" is not a list`)
      return
    }
    const list = this.key1!
    if (depth === 2) {
      if (list === 'slaves') {
        if (c !== 0x7b) throw new ScanError('an agent is not an object')
        this.startCapture('agent', depth, i, false)
      } else if (FRAMEWORK_LISTS.has(list) && c !== 0x7b) throw new ScanError('a framework is not an object')
      return
    }
    if (!FRAMEWORK_LISTS.has(list)) return
    if (depth === 3) {
      const k = this.key3!
      if (FRAMEWORK_FIELDS.has(k)) this.startCapture('field', depth, i, isString)
      else if (TASK_LISTS.has(k) && c !== 0x5b && c !== 0x6e) throw new ScanError(`a framework's "${k}" is not a list`)
      return
    }
    if (depth === 4 && TASK_LISTS.has(this.key3!)) {
      if (c !== 0x7b) throw new ScanError(`an element of "${this.key3}" is not an object`)
      this.startCapture('unit', depth, i, false)
    }
  }

  private current: Buffer | undefined

  private buf0(i: number): number {
    return this.current![i]!
  }

  private startCapture(kind: Capture, depth: number, i: number, isString: boolean): void {
    this.capture = kind
    this.captureDepth = depth
    this.captureIsString = isString
    this.startMark(i)
  }

  private startMark(i: number): void {
    this.mark = i
    this.markParts.length = 0
  }

  /** The marked bytes, up to `end` of this chunk, as one buffer and range. */
  private take(buf: Buffer, end: number): [Buffer, number, number] {
    const from = this.mark
    this.mark = -1
    if (this.markParts.length === 0) return [buf, from, end]
    const all = Buffer.concat([...this.markParts, buf.subarray(0, end)])
    this.markParts.length = 0
    return [all, 0, all.length]
  }

  private unitInChunk(buf: Buffer, i: number): number {
    try {
      const k = this.key3!
      return k === 'executors' ? this.sink.executor(buf, i, buf.length) : this.sink.task(k as TaskList, buf, i, buf.length)
    } catch (err) {
      if (err instanceof ScanError) return -1
      throw err
    }
  }

  private finish(buf: Buffer, end: number): void {
    const kind = this.capture!
    this.capture = undefined
    const [b, s, e] = this.take(buf, end)
    if (kind === 'unit') {
      const k = this.key3!
      if (k === 'executors') this.sink.executor(b, s, e)
      else this.sink.task(k as TaskList, b, s, e)
    } else if (kind === 'agent') this.sink.agent(b, s, e)
    else {
      const value = new Reader(b, s, e).value()
      if (kind === 'top') this.sink.top(this.key1 as 'pid' | 'leader', value)
      else this.sink.frameworkField(this.key3!, value)
    }
  }

  /** Inside a string from `i`: the index after it, or the chunk's end. */
  private stringEnd(buf: Buffer, i: number): number {
    this.current = buf
    const n = buf.length
    let escaped = this.escapedCarry && i === 0
    for (let p = i; p < n; p++) {
      const c = buf[p]!
      if (escaped) {
        escaped = false
        continue
      }
      if (c === 0x5c) escaped = true
      else if (c === 0x22) {
        this.inString = false
        this.escapedCarry = false
        this.stringClosed(buf, p + 1)
        return p + 1
      }
    }
    this.escapedCarry = escaped
    return n
  }

  private stringClosed(buf: Buffer, end: number): void {
    if (this.keyWanted) {
      this.keyWanted = false
      const [b, s, e] = this.take(buf, end)
      const key = new Reader(b, s, e).string()
      if (this.stack.length === 1) this.key1 = key
      else this.key3 = key
    } else if (this.capture !== undefined && this.captureIsString && this.stack.length === this.captureDepth) {
      this.finish(buf, end)
    }
    if (this.expectKey) this.expectKey = false
  }
}
