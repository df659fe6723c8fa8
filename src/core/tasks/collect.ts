/**
 * Building the task index from the scanner's pieces, keeping only what is asked for: every task,
 * or only the tasks a filter selects plus the agents and frameworks they reference. Memory then
 * follows the matches, not the cluster; the IDs alone (for completion) are kept as strings.
 */
import { SortedIds } from '../completion/sorted-ids.js'
import { keyTable, Reader, ScanError } from './pick.js'
import type { StateSink, TaskList } from './scan.js'
import { type AgentView, type FrameworkView, isTerminal, type TaskIndex, taskState, type TaskView } from './model.js'

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
const HEAD_KEYS = keyTable('id', 'state')

interface TaskHead {
  id: string
  state: string
  end: number
}

/**
 * What every task is read for: its ID and state, everything else skipped unread (half the cost of
 * `readTask`, which a filtered scan pays only for the tasks it keeps).
 */
export function readTaskHead(buf: Buffer, start: number, end: number): TaskHead {
  const r = new Reader(buf, start, end)
  let id: unknown
  let state: unknown
  if (r.openObject()) {
    do {
      const k = r.keyIn(HEAD_KEYS)
      if (k === 0) id = r.value()
      else if (k === 1) state = r.value()
      else r.skip()
    } while (r.more(0x7d))
  }
  if (typeof id !== 'string') throw new ScanError('a task has no string "id"')
  return { id, state: taskState(state), end: r.pos }
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
  /** Also gather every task ID, and the active ones (for the completion entry). */
  ids?: boolean
  /** With `keep`: also keep every task while there are at most this many (a small cluster's full index). */
  fullUpTo?: number
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
  seen: Set<string>
}

export class IndexCollector implements StateSink {
  private fw: FrameworkAcc | undefined
  private readonly frameworks: FrameworkView[] = []
  private readonly agents: AgentView[] = []
  private readonly tasks: TaskView[] = []
  private all: TaskView[] | undefined
  private readonly ids: { all: SortedIds; active: SortedIds } | undefined
  private pid: string | undefined
  private leader: string | undefined
  private readonly intern = new Interner()

  constructor(private readonly opts: CollectOptions = {}) {
    this.ids = opts.ids ? { all: new SortedIds(), active: new SortedIds() } : undefined
    this.all = opts.keep && (opts.fullUpTo ?? 0) > 0 ? [] : undefined
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
    }
  }

  frameworkField(key: string, value: unknown): void {
    const v = this.fw!.view
    if (key === 'active') v.active = value === true
    else if (key === 'id' || key === 'name' || key === 'user' || key === 'hostname') v[key] = typeof value === 'string' ? value : ''
  }

  task(_list: TaskList, buf: Buffer, start: number, end: number): number {
    const fw = this.fw!
    // a filtered scan reads most tasks only for their ID and state
    let t = this.opts.keep && !this.all ? undefined : readTask(buf, start, end, fw.view.id, this.intern)
    const head: TaskHead = t ? { id: t.view.id, state: t.view.state, end: t.end } : readTaskHead(buf, start, end)
    const id = head.id
    const wanted = !this.opts.keep || this.opts.keep(id)
    if (!wanted && !this.ids && !this.all) return head.end
    // a terminal task can be listed twice while unacknowledged: the first listing wins
    if (fw.seen.has(id)) return head.end
    fw.seen.add(id)
    if (this.ids) {
      this.ids.all.add(id)
      if (!isTerminal(head.state)) this.ids.active.add(id)
    }
    if (wanted) fw.kept.push((t ??= readTask(buf, start, end, fw.view.id, this.intern)))
    if (this.all) {
      if (this.all.length < this.opts.fullUpTo!) this.all.push(t!.view)
      else this.all = undefined
    }
    return head.end
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
    for (const t of fw.kept) {
      if (t.executor !== '' && t.view.frameworkId === fw.view.id && fw.defaults.has(t.executor)) t.view.taskGroup = true
      this.tasks.push(t.view)
    }
    if (this.all && fw.defaults.size > 0) {
      for (const v of this.all) if (v.executorId !== v.id && fw.defaults.has(v.executorId) && v.frameworkId === fw.view.id) v.taskGroup = true
    }
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
      if (this.all) out.full = { tasks: this.all.sort(byId), agents: this.agents, frameworks: this.frameworks }
    } else out.full = { tasks: this.tasks, agents: this.agents, frameworks: this.frameworks }
    if (this.ids) out.ids = this.ids
    return out
  }
}
