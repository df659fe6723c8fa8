/**
 * Picks the wanted tasks out of a v1 `GET_TASKS` answer as it streams in. GET_TASKS has no filter
 * (Mesos 1.11) and answers every task the master knows: about 700 bytes each, so 700 MB for a
 * million tasks, more than one string can hold and far more than `describe` should keep. The
 * answer is followed byte by byte (depth, strings, the keys of the top two levels); each element of
 * `get_tasks.tasks`, `.unreachable_tasks` and `.completed_tasks` is cut out as bytes and parsed only
 * if it may be a wanted one. Memory is one task at a time.
 */
import { failure } from '../errors.js'

export type V1TaskList = 'tasks' | 'unreachable_tasks' | 'completed_tasks'

const LISTS: ReadonlySet<string> = new Set(['tasks', 'unreachable_tasks', 'completed_tasks'])
const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_OBJ = 0x7b
const CLOSE_OBJ = 0x7d
const OPEN_ARR = 0x5b
const CLOSE_ARR = 0x5d
const COLON = 0x3a
const COMMA = 0x2c

/** `onTask(list, bytes)` gets each task's JSON, whole, as the master wrote it. */
export class V1TaskPicker {
  /** 'o' object, 'a' array, per open level. */
  private stack: Array<'o' | 'a'> = []
  private inString = false
  private escaped = false
  private expectKey = false
  /** Collecting the bytes of a key at depth 1 or 2. */
  private keyParts: number[] | undefined
  private key1: string | undefined
  private key2: string | undefined
  private pendingKey: string | undefined
  /** The task being cut out: its bytes from earlier chunks, and where it starts in this one. */
  private parts: Buffer[] = []
  private start = -1
  private sawTop = false

  constructor(private readonly onTask: (list: V1TaskList, bytes: Buffer) => void) {}

  push(chunk: Buffer): void {
    const stack = this.stack
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!
      if (this.inString) {
        if (this.escaped) this.escaped = false
        else if (c === BACKSLASH) this.escaped = true
        else if (c === QUOTE) {
          this.inString = false
          if (this.keyParts) {
            this.pendingKey = Buffer.from(this.keyParts).toString('utf8')
            this.keyParts = undefined
          }
        }
        // a key's raw bytes: the keys looked for are plain, so escapes need no decoding
        if (this.keyParts && this.inString) this.keyParts.push(c)
        continue
      }
      if (c === QUOTE) {
        this.inString = true
        const depth = stack.length
        if (this.expectKey && (depth === 1 || depth === 2)) this.keyParts = []
        this.expectKey = false
      } else if (c === OPEN_OBJ || c === OPEN_ARR) {
        if (stack.length === 0) {
          if (this.sawTop || c !== OPEN_OBJ) throw notJson()
          this.sawTop = true
        }
        if (c === OPEN_OBJ && this.inWantedList()) this.start = i
        stack.push(c === OPEN_OBJ ? 'o' : 'a')
        this.expectKey = c === OPEN_OBJ
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        if (stack.pop() !== (c === CLOSE_OBJ ? 'o' : 'a')) throw notJson()
        if (c === CLOSE_OBJ && this.inWantedList() && (this.start >= 0 || this.parts.length > 0)) this.emit(chunk, i + 1)
        this.expectKey = false
      } else if (c === COLON) {
        if (this.pendingKey !== undefined) {
          if (stack.length === 1) this.key1 = this.pendingKey
          else this.key2 = this.pendingKey
          this.pendingKey = undefined
        }
      } else if (c === COMMA) {
        this.expectKey = stack[stack.length - 1] === 'o'
      }
    }
    if (this.start >= 0) {
      this.parts.push(chunk.subarray(this.start))
      this.start = 0
    }
  }

  /** The answer ended: it must have been one whole JSON object. */
  end(): void {
    if (!this.sawTop || this.stack.length > 0 || this.inString) throw notJson()
  }

  /** Inside `get_tasks.<list>` (an array at depth 3), between its elements. */
  private inWantedList(): boolean {
    return this.stack.length === 3 && this.stack[2] === 'a' && this.key1 === 'get_tasks' && LISTS.has(this.key2 ?? '')
  }

  private emit(chunk: Buffer, end: number): void {
    const tail = chunk.subarray(this.start, end)
    const bytes = this.parts.length > 0 ? Buffer.concat([...this.parts, tail]) : tail
    this.parts = []
    this.start = -1
    this.onTask(this.key2 as V1TaskList, bytes)
  }
}

const notJson = () => failure("the master's answer to GET_TASKS is not JSON")
