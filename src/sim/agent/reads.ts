/**
 * The agent's v1 read calls (`src/slave/http.cpp` `getHealth` ... `readFile`; message shapes in
 * `include/mesos/v1/agent/agent.proto` `Response`): GET_HEALTH, GET_FLAGS, GET_VERSION,
 * GET_METRICS, GET_STATE, GET_CONTAINERS, GET_FRAMEWORKS, GET_EXECUTORS, GET_TASKS, LIST_FILES,
 * READ_FILE.
 */
import { type Files, listFiles, readFileBytes } from '../files.js'
import { type Reply, text } from '../http.js'
import { toBuffer } from '../json.js'
import { buildInfo } from '../master/views.js'
import type { Agent, Executor, Task } from '../model.js'
import { isTerminal } from '../model.js'
import * as v1 from '../render/v1.js'
import type { World } from '../world.js'
import type { Containerizer } from './containerizer.js'

type J = Record<string, unknown>

export interface AgentReads {
  w: World
  agent: Agent
  files: Files
  containerizer: Containerizer
  flags(): Record<string, string>
  metrics(): Record<string, unknown>
  /** `/monitor/statistics` entries, one per running executor */
  statistics(): Array<{ executor_id: string; statistics: J }>
}

const ok = (body: J): Reply => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: toBuffer(body) })
const nonEmpty = <T>(xs: T[]): T[] | undefined => (xs.length ? xs : undefined)

export async function readCall(r: AgentReads, type: string, call: J): Promise<Reply | undefined> {
  switch (type) {
    case 'GET_HEALTH':
      return ok({ type, get_health: { healthy: true } })
    case 'GET_FLAGS':
      return ok({ type, get_flags: { flags: Object.entries(r.flags()).map(([name, value]) => ({ name, value })) } })
    case 'GET_VERSION':
      return ok({ type, get_version: { version_info: buildInfo(r.w) } })
    case 'GET_METRICS':
      return ok({ type, get_metrics: { metrics: Object.entries(r.metrics()).map(([name, value]) => ({ name, value })) } })
    case 'GET_STATE':
      return ok({ type, get_state: { get_tasks: tasks(r), get_executors: executors(r), get_frameworks: frameworks(r) } })
    case 'GET_CONTAINERS': {
      const opts = (call.get_containers ?? {}) as J
      return ok({ type, get_containers: { containers: nonEmpty(containers(r, opts.show_nested === true)) } })
    }
    case 'GET_FRAMEWORKS':
      return ok({ type, get_frameworks: frameworks(r) })
    case 'GET_EXECUTORS':
      return ok({ type, get_executors: executors(r) })
    case 'GET_TASKS':
      return ok({ type, get_tasks: tasks(r) })
    case 'LIST_FILES': {
      const path = (call.list_files as J | undefined)?.path
      if (typeof path !== 'string') return text(400, "Failed to validate agent::Call: Expecting 'list_files' to be present")
      const infos = await listFiles(r.files, path)
      if (!infos) return text(404, `Failed to list files: '${path}' not found`)
      return ok({ type, list_files: { file_infos: nonEmpty(infos) } })
    }
    case 'READ_FILE': {
      const rf = call.read_file as J | undefined
      if (typeof rf?.path !== 'string' || typeof rf.offset !== 'number')
        return text(400, "Failed to validate agent::Call: Expecting 'read_file' to be present")
      const got = await readFileBytes(r.files, rf.path, rf.offset, typeof rf.length === 'number' ? rf.length : undefined)
      if (got === 'not-found') return text(404, `Failed to read file: '${rf.path}' not found`)
      if (got === 'directory') return text(400, 'Cannot read a directory')
      return ok({ type, read_file: { size: got.size, data: got.data.toString('base64') } })
    }
    default:
      return undefined
  }
}

function frameworks(r: AgentReads): J {
  const active: J[] = []
  const completed: J[] = []
  for (const id of new Set(r.agent.executors.map((e) => e.frameworkId))) {
    const fw = r.w.cluster.framework(id)
    if (fw) (fw.completed ? completed : active).push({ framework_info: v1.frameworkInfo(fw) })
  }
  return { frameworks: nonEmpty(active), completed_frameworks: nonEmpty(completed) }
}

function executorInfo(ex: Executor): J {
  return { executor_info: v1.executor(ex).executor_info }
}

function executors(r: AgentReads): J {
  const exs = r.agent.executors
  return {
    executors: nonEmpty(exs.filter((e) => !e.done).map(executorInfo)),
    completed_executors: nonEmpty(exs.filter((e) => e.done).map(executorInfo)),
  }
}

/** `Http::getTasks`: launched tasks of running executors, completed ones of every executor. */
function tasks(r: AgentReads): J {
  const launched: Task[] = []
  const completed: Task[] = []
  for (const ex of r.agent.executors) {
    for (const t of ex.tasks) (isTerminal(t.state) ? completed : launched).push(t)
    completed.push(...ex.completedTasks)
  }
  return { launched_tasks: nonEmpty(launched.map(v1.task)), completed_tasks: nonEmpty(completed.map(v1.task)) }
}

/** `Http::_containers`: one entry per running executor's container (nested ones with show_nested). */
function containers(r: AgentReads, showNested: boolean): J[] {
  const stats = new Map(r.statistics().map((s) => [s.executor_id, s.statistics]))
  const out: J[] = []
  for (const ex of r.agent.executors) {
    if (ex.done) continue
    const base = {
      framework_id: { value: ex.frameworkId },
      executor_id: { value: ex.id },
      executor_name: ex.name,
    }
    out.push({
      ...base,
      container_id: { value: ex.containerId },
      container_status: {
        container_id: { value: ex.containerId },
        executor_pid: 1000 + (ex.id.length % 100),
        network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: r.agent.hostname }] }],
      },
      resource_statistics: stats.get(ex.id),
    })
    if (!showNested) continue
    const nested: J[] = []
    if (ex.type === 'DEFAULT')
      for (const t of ex.tasks) nested.push({ value: t.containerId, parent: { value: ex.containerId } })
    for (const c of r.containerizer.live.values())
      if (c.status === undefined && c.id.parent && r.containerizer.executorOf(c.id) === ex) nested.push(c.id as unknown as J)
    for (const id of nested) out.push({ ...base, container_id: id, container_status: { container_id: id } })
  }
  return out
}
