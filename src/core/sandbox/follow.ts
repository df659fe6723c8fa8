/**
 * `tail -f`: follow files of every task that matches, including tasks that start later (from their
 * first byte). Each round asks each file's size, prints what was appended (whole lines only, so
 * sources never interleave mid-line), restarts a file that shrank, and keeps going through agents
 * and masters that stop answering. Offsets only ever move by the bytes yielded: no line is lost or
 * yielded twice. It follows until its consumer stops (or the run is interrupted).
 */
import pLimit from 'p-limit'
import type { Deps } from '../deps/index.js'
import { MesosError } from '../errors.js'
import { loadTaskIndex } from '../tasks/index.js'
import { matchTasks } from '../tasks/matcher.js'
import { isTerminal, type TaskIndex, taskState, type TaskView } from '../tasks/model.js'
import { newCursor, readAppended, type Cursor } from './appended.js'
import { IsADirectory } from './files.js'
import type { SourceChunk } from './chunks.js'
import { SandboxGone, SandboxLocator, type TaskSandbox } from './locate.js'
import type { TaskQuery } from './targets.js'
import { tailBytes } from './window.js'
import { safe } from '../output/terminal.js'

export interface FollowOptions extends TaskQuery {
  files: string[]
  lines: number
  intervalSec: number
}

interface Source {
  key: string
  task: TaskView
  file: string
  sandbox: TaskSandbox
  cursor: Cursor
  gone: boolean
}

/** Full re-reads of the master's state happen at least this often, whatever the cheap poll says. */
const FULL_REFRESH_ROUNDS = 30

export async function* followFiles(deps: Deps, o: FollowOptions): AsyncGenerator<SourceChunk> {
  const sources = new Map<string, Source>()
  const downAgents = new Set<string>()
  let masterDown = false
  const query = { filter: o.filter, inactive: o.inactive }
  let index: TaskIndex = await loadTaskIndex(deps, { query })
  let locator = new SandboxLocator(deps, index)
  const limit = pLimit(deps.settings.profile.max_workers)
  const labelOf = (s: Source) => `${s.task.id}:${s.file}`
  const newTasks = new NewTasks()
  const followedKeys = () => new Set([...sources.values()].map((s) => `${s.task.frameworkId}\0${s.task.id}`))

  const addTasks = (tasks: TaskView[], fromStart: boolean): Source[] => {
    const added: Source[] = []
    for (const task of tasks) {
      let sandbox: TaskSandbox
      try {
        sandbox = locator.open(task)
      } catch {
        continue // its agent is not listed yet; the next refresh will bring it
      }
      for (const file of o.files) {
        const key = `${task.frameworkId}\0${task.id}\0${file}`
        if (sources.has(key)) continue
        const s: Source = { key, task, file, sandbox, cursor: newCursor(fromStart ? 0 : undefined), gone: false }
        sources.set(key, s)
        added.push(s)
      }
    }
    return added
  }

  const sorted = () =>
    [...sources.values()].sort((a, b) => (a.task.id < b.task.id ? -1 : a.task.id > b.task.id ? 1 : o.files.indexOf(a.file) - o.files.indexOf(b.file)))

  const chunk = (s: Source, bytes: Buffer): SourceChunk => ({ source: labelOf(s), bytes, alone: sources.size === 1 })

  const agentTrouble = (s: Source, err: unknown) => {
    const who = safe(s.sandbox.agent.hostname)
    if (!downAgents.has(s.sandbox.agent.id)) {
      downAgents.add(s.sandbox.agent.id)
      deps.io.warn(`agent ${who} is not answering (${err instanceof Error ? err.message : String(err)}); retrying`)
    }
  }
  const agentFine = (s: Source) => {
    if (downAgents.delete(s.sandbox.agent.id)) deps.io.note(`mesos: agent ${safe(s.sandbox.agent.hostname)} is answering again`)
  }

  /** One round for one source: the new complete lines (and a notice if the file shrank). */
  const poll = async (s: Source): Promise<Buffer> => {
    if (s.gone) return Buffer.alloc(0)
    try {
      const fresh = await s.sandbox.at(s.file, (path) =>
        readAppended(s.sandbox.files, path, s.cursor, (from, to) =>
          deps.io.note(`mesos: ${safe(labelOf(s))} shrank from ${from} to ${to} bytes; following from the start`),
        ),
      )
      agentFine(s)
      return fresh ?? Buffer.alloc(0)
    } catch (err) {
      if (err instanceof SandboxGone) {
        if (isTerminal(s.task.state)) {
          s.gone = true
          deps.io.warn(err.message)
        } else {
          // a task still starting has no sandbox yet: look again next round
          locator.forget(s.sandbox.agent.id)
          s.sandbox = locator.open(s.task)
        }
        return Buffer.alloc(0)
      }
      if (err instanceof IsADirectory) {
        s.gone = true
        deps.io.warn(`${s.file} in task ${s.task.id} is a directory`)
        return Buffer.alloc(0)
      }
      if (err instanceof MesosError && err.kind !== 'usage') {
        agentTrouble(s, err)
        return Buffer.alloc(0)
      }
      throw err
    }
  }

  // Start: the last N lines of what exists now.
  const initial = matchTasks(index.tasks, o.filter, o.inactive).matches
  if (initial.length === 0) deps.io.note(`mesos: no task matches "${o.filter}" yet; waiting for one`)
  const first = addTasks(initial, false)
  // spec 1.1: one dim start line on a terminal; the spinner (if any) stops waiting here
  deps.io.status?.(undefined)
  if (deps.io.stderrIsTTY && initial.length > 0)
    deps.io.note(`following ${initial.length} task${initial.length === 1 ? '' : 's'}; Ctrl-C to stop`, 'dim')
  const starts = await Promise.all(
    first.map((s) =>
      limit(async () => {
        try {
          return await s.sandbox.at(s.file, async (path) => {
            const size = await s.sandbox.files.size(path)
            if (size === undefined) return undefined
            const tail = await tailBytes(
              async (off, len) => (await s.sandbox.files.read(path, off, len)) ?? Buffer.alloc(0),
              size,
              o.lines,
            )
            s.cursor.offset = size
            return tail
          })
        } catch (err) {
          if (err instanceof SandboxGone || err instanceof IsADirectory) s.gone = true
          else if (err instanceof MesosError && err.kind !== 'usage') agentTrouble(s, err)
          else throw err
          return undefined
        }
      }),
    ),
  )
  for (const [i, s] of first.entries()) {
    const tail = starts[i]
    if (tail && tail.length > 0) yield chunk(s, tail) // a file missing now is followed from its first byte once it appears
  }

  for (let round = 1; ; round++) {
    await deps.clock.sleep(o.intervalSec * 1000, deps.signal)

    // New tasks: a cheap look at the newest tasks each round, the whole state now and then.
    try {
      if (masterDown) await deps.master().refresh()
      // a new task is fetched by its ID (a few hundred bytes, whatever the cluster's size); the
      // filtered full scan runs only now and then, for what the newest-tasks look cannot see
      const full = round % FULL_REFRESH_ROUNDS === 0
      const newIds = full ? [] : await newTasks.matching(deps, o, followedKeys())
      if (full || newIds.length > 0) {
        const parts = full
          ? [await loadTaskIndex(deps, { fresh: true, query })]
          : await Promise.all(newIds.map((id) => loadTaskIndex(deps, { fresh: true, query: { filter: id, inactive: o.inactive } })))
        index = full ? parts[0]! : mergeIndexes(index, parts)
        locator = new SandboxLocator(deps, index)
        const known = followedKeys()
        const fresher = matchTasks(index.tasks, o.filter, o.inactive).matches.filter(
          (t) => !known.has(`${t.frameworkId}\0${t.id}`),
        )
        addTasks(fresher, true)
      }
      if (masterDown) deps.io.note('mesos: the master is answering again')
      masterDown = false
    } catch (err) {
      if (!(err instanceof MesosError) || err.kind === 'usage') throw err
      if (!masterDown) deps.io.warn(`${err.message}; following the known tasks and retrying`)
      masterDown = true
    }

    const order = sorted()
    const outputs = await Promise.all(order.map((s) => limit(() => poll(s))))
    for (const [i, s] of order.entries()) if (outputs[i]!.length > 0) yield chunk(s, outputs[i]!)
  }
}

interface MasterTask {
  id: string
  framework_id?: string
  state?: string
  statuses?: { timestamp?: number }[]
}

/** Tasks and agents of several partial indexes added to one (the newer view of a task wins). */
function mergeIndexes(base: TaskIndex, parts: TaskIndex[]): TaskIndex {
  const tasks = new Map(base.tasks.map((t) => [`${t.frameworkId}\0${t.id}`, t]))
  const agents = new Map(base.agents.map((a) => [a.id, a]))
  const frameworks = new Map(base.frameworks.map((f) => [f.id, f]))
  for (const p of parts) {
    for (const t of p.tasks) tasks.set(`${t.frameworkId}\0${t.id}`, t)
    for (const a of p.agents) agents.set(a.id, a)
    for (const f of p.frameworks) frameworks.set(f.id, f)
  }
  return { ...base, tasks: [...tasks.values()], agents: [...agents.values()], frameworks: [...frameworks.values()] }
}

/**
 * Tasks started since the last look, from `/master/tasks`: Mesos sorts it by each task's first
 * status timestamp, newest first, and lists tasks without any status yet last (they show up at the
 * top once their first update arrives; their sandbox is followed from its first byte, so nothing is
 * lost). More than a page may start between two rounds on a big cluster: further pages are read
 * while a whole page is newer than the newest task of the last look, up to MAX_PAGES; the periodic
 * full scan catches the rest (and tasks of agents whose clocks lag).
 */
class NewTasks {
  private newest: number | undefined

  /** The IDs of matches not followed yet. */
  async matching(deps: Deps, o: FollowOptions, followed: Set<string>): Promise<string[]> {
    const seen: MasterTask[] = []
    let top: number | undefined
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await deps.master().getJson<{ tasks?: MasterTask[] }>('/master/tasks', {
        query: page === 0 ? { limit: PAGE, order: 'desc' } : { limit: PAGE, offset: page * PAGE, order: 'desc' },
      })
      const tasks = body.tasks ?? []
      seen.push(...tasks)
      if (page === 0) top = firstStatusAt(tasks[0])
      const oldest = firstStatusAt(tasks.at(-1))
      if (tasks.length < PAGE || this.newest === undefined || oldest === undefined || oldest <= this.newest) break
    }
    if (top !== undefined && (this.newest === undefined || top > this.newest)) this.newest = top
    const views = seen.map((t) => ({
      id: t.id,
      state: taskState(t.state),
      frameworkId: t.framework_id ?? '',
      name: '',
      executorId: t.id,
      taskGroup: false,
      agentId: '',
    }))
    const ids = matchTasks(views, o.filter, o.inactive).matches.filter((t) => !followed.has(`${t.frameworkId}\0${t.id}`))
    return [...new Set(ids.map((t) => t.id))]
  }
}

const PAGE = 100
const MAX_PAGES = 10

function firstStatusAt(t: MasterTask | undefined): number | undefined {
  const at = t?.statuses?.[0]?.timestamp
  return typeof at === 'number' ? at : undefined
}
