/**
 * Building the task index from the scanner's pieces, keeping only what is asked for: every task,
 * or only the tasks a filter selects plus the agents and frameworks they reference. Memory then
 * follows the matches, not the cluster. A filtered scan reads every other task only for where its
 * ID is and whether it is active, as bytes: the IDs (for completion) go to their lists as bytes.
 */
import { SortedIds } from '../completion/sorted-ids.js'
import { keyTable, QUOTE, Reader, ScanError, stringEnd, valueEnd } from './pick.js'
import type { StateSink, TaskList } from './scan.js'
import { type AgentView, type FrameworkView, isTerminal, TERMINAL_STATES, type TaskIndex, taskState, type TaskView } from './model.js'

interface RawTask {
  view: TaskView
  /** The executor_id as the master wrote it ('' for command tasks). */
  executor: string
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

const TASK_KEYS = keyTable('id', 'name', 'state', 'framework_id', 'executor_id', 'slave_id', 'user', 'statuses')
const STATUS_KEYS = keyTable('timestamp')
const TERMINAL_BYTES = [...TERMINAL_STATES].map((state) => Buffer.from(state))

/** Whether `buf[start, end)` spells a terminal state (compared as bytes: no string is made). */
function terminalBytes(buf: Buffer, start: number, end: number): boolean {
  const n = end - start
  for (const t of TERMINAL_BYTES) {
    if (t.length !== n) continue
    let j = 0
    while (j < n && t[j] === buf[start + j]) j++
    if (j === n) return true
  }
  return false
}

/**
 * What a filtered scan reads of every task: where its ID is and whether its state is terminal,
 * without making a string of either (the ID's bytes are its text when `idText` is undefined; an
 * ID with escapes or control bytes is decoded), and where the task ends.
 */
export interface TaskHead {
  idStart: number
  idEnd: number
  idText: string | undefined
  terminal: boolean
  end: number
}

/** The first byte from `p` that is not JSON whitespace (a ScanError at `end`: the piece was cut short). */
function blank(buf: Buffer, p: number, end: number): number {
  while (p < end) {
    const c = buf[p]!
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return p
    p++
  }
  throw new ScanError('the document ends inside a task')
}

/**
 * Reads a task's head into `h`, in one pass over its bytes: the members of the task object are
 * checked for their shape (a string key, a colon, a value, then a comma or the end), the values of
 * the other members passed over by their brackets and strings. The last of a repeated key counts,
 * as for JSON.parse; a state that is not a string is TASK_STAGING.
 */
export function readTaskHead(buf: Buffer, start: number, end: number, h: TaskHead): TaskHead {
  let idStart = -1
  let idEnd = -1
  let idText: string | undefined
  let terminal = false
  let p = blank(buf, start, end)
  if (buf[p] !== 0x7b) throw new ScanError('expected an object')
  p = blank(buf, p + 1, end)
  if (buf[p] === 0x7d) p++
  else
    for (;;) {
      if (buf[p] !== QUOTE) throw new ScanError('expected a key')
      // which member: "id" (0), "state" (1) or another (-1), compared as bytes
      let which = -1
      let after = stringEnd(buf, p, end)
      if (after >= 0) {
        const n = after - p - 2
        if (n === 2 && buf[p + 1] === 0x69 && buf[p + 2] === 0x64) which = 0
        else if (n === 5 && buf[p + 1] === 0x73 && buf[p + 2] === 0x74 && buf[p + 3] === 0x61 && buf[p + 4] === 0x74 && buf[p + 5] === 0x65) which = 1
      } else {
        const key = new Reader(buf, p, end).string()
        which = key === 'id' ? 0 : key === 'state' ? 1 : -1
        after = -2 - after
      }
      p = blank(buf, after, end)
      if (buf[p] !== 0x3a) throw new ScanError('expected ":"')
      p = blank(buf, p + 1, end)
      const v = p
      if (which < 0) p = valueEnd(buf, v, end)
      else if (buf[v] !== QUOTE) {
        p = valueEnd(buf, v, end)
        if (which === 0) idStart = -1
        else terminal = false
      } else {
        const a = stringEnd(buf, v, end)
        p = a >= 0 ? a : -2 - a
        // a string with escapes (or control bytes) is decoded; else its bytes are its text
        const text = a >= 0 ? undefined : new Reader(buf, v, end).string()
        if (which === 0) {
          idStart = v + 1
          idEnd = p - 1
          idText = text
        } else terminal = text === undefined ? terminalBytes(buf, v + 1, p - 1) : isTerminal(text)
      }
      p = blank(buf, p, end)
      const c = buf[p]
      p++
      if (c === 0x7d) break
      if (c !== 0x2c) throw new ScanError(`unexpected "${String.fromCharCode(c!)}" in a task`)
      p = blank(buf, p, end)
    }
  if (idStart < 0) throw new ScanError('a task has no string "id"')
  h.idStart = idStart
  h.idEnd = idEnd
  h.idText = idText
  h.terminal = terminal
  h.end = p
  return h
}

/** Whether `buf[start, end)` contains `needle`. */
function containsBytes(buf: Buffer, start: number, end: number, needle: Uint8Array): boolean {
  const n = needle.length
  if (n === 0) return true
  const first = needle[0]
  for (let i = start; i + n <= end; i++) {
    if (buf[i] !== first) continue
    let j = 1
    while (j < n && buf[i + j] === needle[j]) j++
    if (j === n) return true
  }
  return false
}

/**
 * Many tasks name the same few frameworks, agents, states and users: keep one copy of each such
 * string. Up to a number of them: a cluster whose every task had its own user must not make the
 * table hold a string per task (past the cap, strings are kept as they come).
 */
export class Interner {
  private readonly seen = new Map<string, string>()
  constructor(private readonly cap = 1 << 16) {}
  of(s: string): string {
    const had = this.seen.get(s)
    if (had !== undefined) return had
    if (this.seen.size < this.cap) this.seen.set(s, s)
    return s
  }
}

/** The fields of one v0 task the index keeps (see `taskView` in model.ts for the same rules). */
export function readTask(buf: Buffer, start: number, end: number, frameworkId: string, intern?: Interner): RawTask & { end: number } {
  const r = new Reader(buf, start, end)
  let id: unknown
  let name: unknown
  let state: unknown
  let fw: unknown
  let executor: unknown
  let agent: unknown
  let user: unknown
  let first: unknown
  let last: unknown
  if (r.openObject()) {
    do {
      switch (r.keyIn(TASK_KEYS)) {
        case 0:
          id = r.value()
          break
        case 1:
          name = r.value()
          break
        case 2:
          state = r.value()
          break
        case 3:
          fw = r.value()
          break
        case 4:
          executor = r.value()
          break
        case 5:
          agent = r.value()
          break
        case 6:
          user = r.value()
          break
        case 7: {
          if (r.ws() !== 0x5b) {
            r.skip()
            break
          }
          let n = 0
          if (r.openArray()) {
            do {
              let ts: unknown
              if (r.ws() !== 0x7b) r.skip()
              else if (r.openObject()) {
                do {
                  if (r.keyIn(STATUS_KEYS) === 0) ts = r.value()
                  else r.skip()
                } while (r.more(0x7d))
              }
              if (n++ === 0) first = ts
              last = ts
            } while (r.more(0x5d))
          }
          break
        }
        default:
          r.skip()
      }
    } while (r.more(0x7d))
  }
  if (typeof id !== 'string') throw new ScanError('a task has no string "id"')
  const ex = str(executor)
  const fwId = str(fw) ?? frameworkId
  const agentId = str(agent) ?? ''
  const view: TaskView = {
    id,
    name: str(name) ?? '',
    state: intern ? intern.of(taskState(state)) : taskState(state),
    frameworkId: intern ? intern.of(fwId) : fwId,
    executorId: ex ? ex : id,
    taskGroup: false,
    agentId: intern ? intern.of(agentId) : agentId,
  }
  if (typeof user === 'string' && user !== '') view.user = intern ? intern.of(user) : user
  if (typeof first === 'number') view.startedAt = first
  if (typeof last === 'number') view.updatedAt = last
  return { view, executor: ex ?? '', end: r.pos }
}

export function readAgent(buf: Buffer, start: number, end: number): AgentView {
  const r = new Reader(buf, start, end)
  const a: Record<string, unknown> = {}
  if (r.openObject()) {
    do {
      const k = r.key()
      if (k === 'id' || k === 'hostname' || k === 'pid' || k === 'active' || k === 'version' || k === 'port') a[k] = r.value()
      else r.skip()
    } while (r.more(0x7d))
  }
  if (typeof a.id !== 'string') throw new ScanError('an agent has no string "id"')
  const view: AgentView = { id: a.id, hostname: str(a.hostname) ?? '', pid: str(a.pid) ?? '' }
  if (typeof a.active === 'boolean') view.active = a.active
  if (typeof a.version === 'string') view.version = a.version
  if (typeof a.port === 'number') view.port = a.port
  return view
}

function readExecutor(buf: Buffer, start: number, end: number): { id: string; type: string; end: number } {
  const r = new Reader(buf, start, end)
  let id: unknown
  let type: unknown
  if (r.openObject()) {
    do {
      const k = r.key()
      if (k === 'executor_id') id = r.value()
      else if (k === 'type') type = r.value()
      else r.skip()
    } while (r.more(0x7d))
  }
  return { id: str(id) ?? '', type: str(type) ?? '', end: r.pos }
}

export interface CollectOptions {
  /** Keep only tasks whose ID this accepts (with the agents and frameworks they reference). */
  keep?: (id: string) => boolean
  /**
   * With `keep`: bytes that every ID it accepts contains (as UTF-8), so that the IDs without them
   * are passed over without being made into strings.
   */
  keepNeeds?: Uint8Array
  /** Also gather every task ID, and the active ones (for the completion entry). */
  ids?: boolean
  /** With `keep`: also keep every task while the document lists at most this many (a small cluster's full index). */
  fullUpTo?: number
  /**
   * With `fullUpTo`: the tasks are held as their bytes, up to this many bytes of them (past that,
   * no full index), and read only once the scan is done, so that a big cluster costs the scan only
   * this copy. Without it they are read as they come.
   */
  fullBytes?: number
}

export interface Collected {
  pid?: string
  leader?: string
  /** The kept tasks, agents and frameworks. */
  tasks: TaskView[]
  agents: AgentView[]
  frameworks: FrameworkView[]
  /** Every task, agent and framework, when `fullUpTo` allowed it (or no `keep` was given). */
  full?: Pick<TaskIndex, 'tasks' | 'agents' | 'frameworks'>
  /** Sorted in bounded runs as they come (a million IDs as strings would be most of the memory). */
  ids?: { all: SortedIds; active: SortedIds }
  /** Every agent (what completion offers), whatever was kept. */
  allAgents: AgentView[]
}

interface FrameworkAcc {
  view: FrameworkView
  defaults: Set<string>
  kept: RawTask[]
  /** IDs of the kept tasks (a task can be listed twice: the first listing wins). */
  seen: Set<string>
  /** IDs of the full index's tasks, when it is kept. */
  fullSeen: Set<string>
  /** IDs this framework listed with a terminal state (for the active IDs: the first listing wins). */
  terminal: Set<string>
}

/** Tasks of the full index: held as bytes (copied out of the chunk, whose memory is reused) or read, each with its framework. */
class FullTasks {
  private arena = Buffer.alloc(0)
  private used = 0
  private held = 0
  private readonly bufs: Buffer[] = []
  private readonly starts: number[] = []
  private readonly rawFws: FrameworkAcc[] = []
  private readonly read: RawTask[] = []
  private readonly readFws: FrameworkAcc[] = []
  count = 0

  constructor(
    private readonly intern: Interner,
    /** Bytes of tasks held unread; undefined: each is read as it comes. */
    private readonly maxBytes: number | undefined,
  ) {}

  /** Adds the task `buf[start, end)`; false when that passes `maxBytes` (the full index is given up). */
  add(fw: FrameworkAcc, buf: Buffer, start: number, end: number): boolean {
    this.count++
    if (this.maxBytes === undefined) {
      this.take(fw, readTask(buf, start, end, fw.view.id, this.intern))
      return true
    }
    const n = end - start
    this.held += n
    if (this.held > this.maxBytes) return false
    if (this.used + n > this.arena.length) {
      this.arena = Buffer.allocUnsafe(Math.max(n, Math.min(this.maxBytes, 1024 * 1024)))
      this.used = 0
    }
    buf.copy(this.arena, this.used, start, end)
    this.bufs.push(this.arena)
    this.starts.push(this.used)
    this.rawFws.push(fw)
    this.used += n
    return true
  }

  private take(fw: FrameworkAcc, t: RawTask): void {
    // a terminal task can be listed twice while unacknowledged: the first listing wins
    if (fw.fullSeen.has(t.view.id)) return
    fw.fullSeen.add(t.view.id)
    this.read.push(t)
    this.readFws.push(fw)
  }

  /** Every task, once every framework has listed its executors. */
  views(): TaskView[] {
    for (let i = 0; i < this.bufs.length; i++) {
      const fw = this.rawFws[i]!
      this.take(fw, readTask(this.bufs[i]!, this.starts[i]!, this.bufs[i]!.length, fw.view.id, this.intern))
    }
    this.bufs.length = this.starts.length = this.rawFws.length = 0
    return this.read.map((t, i) => markGroup(t, this.readFws[i]!))
  }
}

/** A task run by an explicit executor of type DEFAULT of its framework belongs to a task group. */
function markGroup(t: RawTask, fw: FrameworkAcc): TaskView {
  if (t.executor !== '' && t.view.frameworkId === fw.view.id && fw.defaults.has(t.executor)) t.view.taskGroup = true
  return t.view
}

export class IndexCollector implements StateSink {
  private fw: FrameworkAcc | undefined
  private readonly frameworks: FrameworkView[] = []
  private readonly agents: AgentView[] = []
  private readonly tasks: TaskView[] = []
  private full: FullTasks | undefined
  private readonly ids: { all: SortedIds; active: SortedIds } | undefined
  private pid: string | undefined
  private leader: string | undefined
  private readonly intern = new Interner()
  /** Filled anew for every task. */
  private readonly head: TaskHead = { idStart: 0, idEnd: 0, idText: undefined, terminal: false, end: 0 }

  constructor(private readonly opts: CollectOptions = {}) {
    this.ids = opts.ids ? { all: new SortedIds(), active: new SortedIds() } : undefined
    this.full = opts.keep && (opts.fullUpTo ?? 0) > 0 ? new FullTasks(this.intern, opts.fullBytes) : undefined
  }

  top(key: 'pid' | 'leader', value: unknown): void {
    if (typeof value === 'string') this[key] = value
  }

  agent(buf: Buffer, start: number, end: number): void {
    this.agents.push(readAgent(buf, start, end))
  }

  frameworkStart(completed: boolean): void {
    this.fw = {
      view: { id: '', name: '', user: '', hostname: '', active: false, completed },
      defaults: new Set(),
      kept: [],
      seen: new Set(),
      fullSeen: new Set(),
      terminal: new Set(),
    }
  }

  frameworkField(key: string, value: unknown): void {
    const v = this.fw!.view
    if (key === 'active') v.active = value === true
    else if (key === 'id' || key === 'name' || key === 'user' || key === 'hostname') v[key] = typeof value === 'string' ? value : ''
  }

  task(_list: TaskList, buf: Buffer, start: number, end: number): number {
    const fw = this.fw!
    const keep = this.opts.keep
    if (!keep) {
      const t = readTask(buf, start, end, fw.view.id, this.intern)
      if (this.keepTask(fw, t) && this.ids) {
        this.ids.all.add(t.view.id)
        if (!isTerminal(t.view.state)) this.ids.active.add(t.view.id)
      }
      return t.end
    }
    // a filtered scan reads most tasks only for where their ID is and whether they are active
    const head = readTaskHead(buf, start, end, this.head)
    let id = head.idText
    const needs = this.opts.keepNeeds
    if (id === undefined && (needs === undefined || containsBytes(buf, head.idStart, head.idEnd, needs))) id = this.idOf(buf, head)
    if (this.ids) this.addId(fw, buf, head, id)
    if (this.full && (this.full.count >= this.opts.fullUpTo! || !this.full.add(fw, buf, start, head.end))) this.full = undefined
    if (id !== undefined && keep(id)) this.keepTask(fw, readTask(buf, start, end, fw.view.id, this.intern))
    return head.end
  }

  private idOf(buf: Buffer, head: TaskHead): string {
    return head.idText ?? new Reader(buf, head.idStart - 1, head.idEnd + 1).string()
  }

  /** Keeps a task unless its framework listed it before (false then). */
  private keepTask(fw: FrameworkAcc, t: RawTask): boolean {
    // a terminal task can be listed twice while unacknowledged: the first listing wins
    if (fw.seen.has(t.view.id)) return false
    fw.seen.add(t.view.id)
    fw.kept.push(t)
    return true
  }

  /**
   * Every ID, and the active ones: a task is active when its first listing in its framework is
   * (the IDs listed terminal are remembered, and only while there are any are later IDs decoded).
   */
  private addId(fw: FrameworkAcc, buf: Buffer, head: TaskHead, decoded: string | undefined): void {
    const ids = this.ids!
    let id = decoded
    let active = !head.terminal
    if (head.terminal) fw.terminal.add((id ??= this.idOf(buf, head)))
    else if (fw.terminal.size > 0 && fw.terminal.has((id ??= this.idOf(buf, head)))) active = false
    if (id === undefined) {
      ids.all.addBytes(buf, head.idStart, head.idEnd)
      if (active) ids.active.addBytes(buf, head.idStart, head.idEnd)
    } else {
      ids.all.add(id)
      if (active) ids.active.add(id)
    }
  }

  executor(buf: Buffer, start: number, end: number): number {
    const e = readExecutor(buf, start, end)
    if (e.type === 'DEFAULT') this.fw!.defaults.add(e.id)
    return e.end
  }

  frameworkEnd(): void {
    const fw = this.fw!
    this.fw = undefined
    this.frameworks.push(fw.view)
    for (const t of fw.kept) this.tasks.push(markGroup(t, fw))
  }

  result(): Collected {
    const byId = (a: TaskView, b: TaskView) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.frameworkId < b.frameworkId ? -1 : 1)
    this.tasks.sort(byId)
    const out: Collected = { tasks: this.tasks, agents: this.agents, frameworks: this.frameworks, allAgents: this.agents }
    if (this.pid !== undefined) out.pid = this.pid
    if (this.leader !== undefined) out.leader = this.leader
    if (this.opts.keep) {
      const agents = new Set(this.tasks.map((t) => t.agentId))
      const fws = new Set(this.tasks.map((t) => t.frameworkId))
      out.agents = this.agents.filter((a) => agents.has(a.id))
      out.frameworks = this.frameworks.filter((f) => fws.has(f.id))
      if (this.full) out.full = { tasks: this.full.views().sort(byId), agents: this.agents, frameworks: this.frameworks }
    } else out.full = { tasks: this.tasks, agents: this.agents, frameworks: this.frameworks }
    if (this.ids) out.ids = this.ids
    return out
  }
}
