/**
 * Why a command cannot run in (or attach to) a container, as MesosError failures (exit 1) with a
 * machine-readable `reason`, so a command can word the line with the task's name.
 */
import { MesosError } from '../errors.js'

export type ContainerFailure =
  | 'not-running'
  | 'docker'
  | 'too-old'
  | 'unauthorized'
  | 'forbidden'
  | 'no-tty'
  | 'agent'

export class ContainerError extends MesosError {
  constructor(
    readonly reason: ContainerFailure,
    message: string,
  ) {
    super('failure', message)
    this.name = 'ContainerError'
  }
}

export interface ExecTarget {
  /** the task's ID, to name it in the message */
  id?: string
  /** the task's state, e.g. TASK_RUNNING */
  state: string
  /** `container.type` of the task, when it has one (MESOS, DOCKER) */
  containerType?: string
  /** the agent's Mesos version, when known */
  agentVersion?: string
}

/** Checks before any request (reference §5.4 step 1): running, Mesos containerizer, agent 1.2+. */
export function assertExecutable(t: ExecTarget, supportsExec: (v: string | undefined) => boolean): void {
  const task = t.id === undefined ? 'the task' : `task ${t.id}`
  if (t.state !== 'TASK_RUNNING')
    throw new ContainerError('not-running', `${task} is ${t.state.replace(/^TASK_/, '')}, not running`)
  if (t.containerType !== undefined && t.containerType !== 'MESOS')
    throw new ContainerError(
      'docker',
      `${task} runs under the ${t.containerType === 'DOCKER' ? 'Docker' : t.containerType} containerizer; exec and attach need the Mesos containerizer`,
    )
  if (!supportsExec(t.agentVersion))
    throw new ContainerError('too-old', `${task} is on an agent running Mesos ${t.agentVersion}; exec and attach need Mesos 1.2 or later`)
}

/** An agent's refusal of a container call, from its status and body. */
export function refusal(status: number, body: string, call: string): ContainerError {
  const text = body.trim().split('\n')[0]?.slice(0, 200) ?? ''
  if (status === 401)
    return new ContainerError('unauthorized', `the agent wants credentials to ${call} (401 Unauthorized): set principal and secret, or token, in the profile`)
  if (status === 403) return new ContainerError('forbidden', `not authorized to ${call} on this agent (403 Forbidden)`)
  if (status === 400 && /Parent container .* does not exist/.test(text))
    return new ContainerError('not-running', "the task's container no longer exists (the task is not running)")
  if (status === 409) return new ContainerError('agent', `another client is already sending input to this container (409); only one may at a time`)
  if (/I\/O switchboard server was disabled/.test(text))
    return new ContainerError('no-tty', 'the task was launched without a TTY')
  return new ContainerError('agent', `the agent answered ${status} to ${call}${text ? `: ${text}` : ''}`)
}
