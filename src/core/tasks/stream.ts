/**
 * Reading `/master/state` as a stream: on a big cluster the document is tens of megabytes, so the
 * index is built from the pieces as they arrive (tasks, executors, agents, a few framework fields)
 * without ever holding the whole document or its parsed tree.
 */
import { JSONParser } from '@streamparser/json'
import type { Deps } from '../deps.js'
import { failure } from '../errors.js'
import { leaderAddress, leaderEndpoint } from '../master/resolve.js'
import { addressFromPid } from '../master/spec.js'
import type { AgentInfo } from './agents.js'
import { indexFromState, type TaskIndex, type V0State } from './model.js'

const FRAMEWORK_LISTS = ['frameworks', 'completed_frameworks'] as const
const TASK_LISTS = ['tasks', 'unreachable_tasks', 'completed_tasks'] as const
const FRAMEWORK_FIELDS = ['id', 'name', 'user', 'hostname', 'active'] as const

const PATHS = [
  '$.pid',
  '$.leader',
  '$.slaves.*',
  ...FRAMEWORK_LISTS.flatMap((l) => [
    ...TASK_LISTS.map((t) => `$.${l}.*.${t}.*`),
    `$.${l}.*.executors.*`,
    ...FRAMEWORK_FIELDS.map((f) => `$.${l}.*.${f}`),
  ]),
]

type Obj = Record<string, unknown>

/** Keeps only what the index needs of a v0 task: two statuses instead of the whole history. */
function slimTask(t: Obj): Obj {
  const statuses = Array.isArray(t.statuses) ? (t.statuses as Obj[]) : []
  const keep = statuses.length > 2 ? [statuses[0]!, statuses.at(-1)!] : statuses
  return {
    id: t.id,
    name: t.name,
    state: t.state,
    framework_id: t.framework_id,
    executor_id: t.executor_id,
    slave_id: t.slave_id,
    ...(t.user !== undefined ? { user: t.user } : {}),
    statuses: keep.map((s) => ({ state: s.state, timestamp: s.timestamp })),
  }
}

/** Parses a `/master/state` body stream into the slim state the index is built from. */
export async function slimStateFrom(body: AsyncIterable<Uint8Array>): Promise<V0State & { pid?: string; leader?: string }> {
  const lists: Record<(typeof FRAMEWORK_LISTS)[number], Obj[]> = { frameworks: [], completed_frameworks: [] }
  const slaves: AgentInfo[] = []
  let pid: string | undefined
  let leader: string | undefined
  const parser = new JSONParser({ paths: PATHS, keepStack: false, stringBufferSize: undefined })
  parser.onValue = ({ value, key, stack }) => {
    if (stack.length === 1) {
      if (key === 'pid') pid = value as string
      else if (key === 'leader') leader = value as string
      return
    }
    const top = stack[1]?.key as string
    if (top === 'slaves') {
      const a = value as Obj
      slaves.push({ id: a.id, hostname: a.hostname, pid: a.pid, active: a.active, version: a.version, port: a.port } as AgentInfo)
      return
    }
    const list = lists[top as keyof typeof lists]
    if (!list) return
    const i = stack[2]?.key as number
    list[i] ??= { tasks: [], unreachable_tasks: [], completed_tasks: [], executors: [] }
    const fw = list[i]!
    if (stack.length === 3) {
      fw[key as string] = value
      return
    }
    const field = stack[3]?.key as string
    const v = value as Obj
    if (field === 'executors') (fw.executors as Obj[]).push({ executor_id: v.executor_id, type: v.type })
    else (fw[field] as Obj[] | undefined)?.push(slimTask(v))
  }
  for await (const chunk of body) parser.write(chunk)
  if (!parser.isEnded) parser.end()
  return {
    frameworks: lists.frameworks.filter(Boolean) as unknown as V0State['frameworks'],
    completed_frameworks: lists.completed_frameworks.filter(Boolean) as unknown as V0State['completed_frameworks'],
    slaves,
    pid,
    leader,
  }
}

/**
 * The task index from the leading master. Before 1.0 a follower answered with its own, empty state
 * naming the leader: then the leader is asked.
 */
export async function fetchTaskIndex(deps: Deps): Promise<TaskIndex> {
  const master = deps.master()
  for (let hop = 0; hop < 2; hop++) {
    const res = await master.request('/master/state')
    const leader = await master.leader()
    await deps.http().expectOk(leaderEndpoint(leader), res)
    let slim: Awaited<ReturnType<typeof slimStateFrom>>
    try {
      slim = await slimStateFrom(res.body)
    } catch (err) {
      throw failure(`master ${leaderAddress(leader)} sent a state that is not JSON: ${(err as Error).message}`)
    }
    const named = slim.leader && slim.pid && slim.leader !== slim.pid ? addressFromPid(slim.leader) : undefined
    if (named) {
      deps.debug(`master ${slim.pid} is not the leader; asking ${slim.leader}`)
      await master.moveTo(named)
      continue
    }
    return indexFromState(slim, leaderAddress(leader), deps.clock.now())
  }
  throw failure('the masters disagree about who leads; try again')
}
