/**
 * From a TASK filter to the one running container to exec in or attach to: the task matched in the
 * index, then read fresh from the master (state, containerizer, TTY, container ID from its
 * statuses), its agent's address and version, checked before any agent request (reference §5.4).
 */
import {
  containerIdOf,
  containerType,
  fetchV0Task,
  type TaskDetail,
} from '../cluster/task-detail.js'
import type { Deps } from '../deps/index.js'
import { failure, noMatchError } from '../errors.js'
import type { Endpoint } from '../http/endpoint.js'
import { findTargets } from '../sandbox/targets.js'
import { agentEndpoint } from '../tasks/agents.js'
import { matchTasks, requireOne } from '../tasks/matcher.js'
import type { AgentView, TaskView } from '../tasks/model.js'
import { assertExecutable, ContainerError } from './errors.js'
import { type ContainerId, supportsExec } from './protocol.js'

export interface ContainerTarget {
  task: TaskView
  detail: TaskDetail
  agent: AgentView
  endpoint: Endpoint
  containerId: ContainerId
}

/**
 * Exactly one active task, or exit 3. A filter that matches only completed tasks is not "no
 * match": one such task is an exit-1 "not running", several a no-match whose hint fits a command
 * without --inactive.
 */
async function oneActiveTask(deps: Deps, filter: string): Promise<{ task: TaskView; agents: AgentView[] }> {
  const { index, tasks } = await findTargets(deps, { filter, inactive: false }, { allowEmpty: true })
  if (tasks.length === 0) {
    const done = matchTasks(index.tasks, filter, true).matches
    if (done.length === 1) assertExecutable({ id: done[0]!.id, state: done[0]!.state }, supportsExec)
    throw noMatchError(
      `no running task matches "${filter}"`,
      done.length > 0 ? [`${done.length} completed task(s) match; exec and attach need a running task`] : [],
    )
  }
  return { task: requireOne({ matches: tasks, completedMatches: 0 }, filter), agents: index.agents }
}

export async function findContainerTarget(deps: Deps, filter: string): Promise<ContainerTarget> {
  const { task, agents } = await oneActiveTask(deps, filter)
  const agent = agents.find((a) => a.id === task.agentId)
  if (!agent) throw failure(`task ${task.id} runs on agent ${task.agentId || '(none)'}, which the master does not list`)
  const detail = await fetchV0Task(deps, task.frameworkId, task.id)
  if (!detail) throw failure(`the master no longer knows task ${task.id}`)
  assertExecutable({ id: task.id, state: detail.state, containerType: containerType(detail), agentVersion: agent.version }, supportsExec)
  const containerId = containerIdOf(detail)
  if (!containerId)
    throw new ContainerError('too-old', `the master names no container for task ${task.id} (its agent may predate Mesos 1.2)`)
  return {
    task,
    detail,
    agent,
    endpoint: agentEndpoint({ ...agent, pid: agent.pid ?? '' }, deps.settings.profile.scheme),
    containerId,
  }
}

/** An agent's refusal, said with the task and the agent it concerns. */
export function inTask(err: unknown, t: ContainerTarget): unknown {
  if (!(err instanceof ContainerError) || err.message.startsWith('task ')) return err
  return new ContainerError(err.reason, `task ${t.task.id} on agent ${t.agent.hostname}: ${err.message}`)
}
