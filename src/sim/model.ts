/** The cluster as Mesos' master and agents see it: plain data, shared by every server. */

export type TaskState =
  | 'TASK_STAGING'
  | 'TASK_STARTING'
  | 'TASK_RUNNING'
  | 'TASK_KILLING'
  | 'TASK_FINISHED'
  | 'TASK_FAILED'
  | 'TASK_KILLED'
  | 'TASK_ERROR'
  | 'TASK_LOST'
  | 'TASK_DROPPED'
  | 'TASK_UNREACHABLE'
  | 'TASK_GONE'
  | 'TASK_GONE_BY_OPERATOR'
  | 'TASK_UNKNOWN'

const TERMINAL = new Set<TaskState>([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
])
export const isTerminal = (s: TaskState): boolean => TERMINAL.has(s)

export interface Resources {
  cpus: number
  mem: number
  disk: number
  gpus: number
  ports?: Array<[number, number]>
}

export interface Label {
  key: string
  value?: string
}

export interface TaskStatus {
  state: TaskState
  /** seconds since the epoch */
  timestamp: number
  /** 16 random bytes, base64 in v1 */
  uuid: string
  source: 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR'
  reason?: string
  message?: string
  healthy?: boolean
  containerId?: string
  parentContainerId?: string
  ip?: string
}

export interface Task {
  id: string
  name: string
  frameworkId: string
  agentId: string
  /** '' for command tasks: the Task protobuf carries no executor there */
  executorId: string
  executor: Executor
  state: TaskState
  statuses: TaskStatus[]
  resources: Resources
  role: string
  user?: string
  labels?: Label[]
  container?: Record<string, unknown>
  discovery?: Record<string, unknown>
  command: string
  /** sandbox of this task: the executor directory, or `<dir>/tasks/<id>` for task groups */
  sandbox: string
  /** files it keeps writing while running, relative to its sandbox */
  logs: string[]
  containerId: string
  /** how it writes: a log line generator key */
  kind: string
  /** launched with `ContainerInfo.tty_info`: a real process under a pty, its output in `stdout` */
  tty?: boolean
}

export interface Executor {
  id: string
  name: string
  source: string
  frameworkId: string
  agentId: string
  type: 'COMMAND' | 'DEFAULT' | 'CUSTOM'
  containerId: string
  directory: string
  resources: Resources
  role: string
  labels?: Label[]
  tasks: Task[]
  completedTasks: Task[]
  done: boolean
  materialized: boolean
  launchedAt: number
}

export interface Framework {
  id: string
  name: string
  user: string
  hostname: string
  principal?: string
  role?: string
  roles?: string[]
  capabilities: string[]
  webuiUrl: string
  /** left out for HTTP API frameworks */
  pid?: string
  registeredTime: number
  unregisteredTime: number
  active: boolean
  connected: boolean
  failoverTimeout: number
  checkpoint: boolean
  labels?: Label[]
  completed: boolean
  tasks: Set<Task>
  /** TASK_UNREACHABLE tasks: not terminal, listed apart (1.2+) */
  unreachableTasks: Set<Task>
  completedTasks: Task[]
  nextTask: number
}

export interface Agent {
  id: string
  index: number
  hostname: string
  port: number
  resources: Resources
  attributes: Record<string, string | number>
  registeredTime: number
  reregisteredTime?: number
  active: boolean
  /** partitioned from the master: listed as unreachable, its tasks TASK_UNREACHABLE */
  unreachable: boolean
  /** its HTTP server is down */
  stopped: boolean
  slowMs: number
  version: string
  executors: Executor[]
  startTime: number
}

export const emptyResources = (): Resources => ({ cpus: 0, mem: 0, disk: 0, gpus: 0 })

/** Mesos keeps scalar resources in fixed point with three decimal digits. */
export const fixed = (x: number): number => Math.round(x * 1000) / 1000

export function addResources(a: Resources, b: Resources): Resources {
  const out: Resources = {
    cpus: fixed(a.cpus + b.cpus),
    mem: fixed(a.mem + b.mem),
    disk: fixed(a.disk + b.disk),
    gpus: fixed(a.gpus + b.gpus),
  }
  const ports = [...(a.ports ?? []), ...(b.ports ?? [])]
  if (ports.length) out.ports = coalesce(ports)
  return out
}

/** `addResources` folded over many, without an object a step: the same fixed-point sums. */
export class ResourceSum {
  private cpus = 0
  private mem = 0
  private disk = 0
  private gpus = 0
  private readonly ports: Array<[number, number]> = []

  add(r: Resources): void {
    this.cpus = fixed(this.cpus + r.cpus)
    this.mem = fixed(this.mem + r.mem)
    this.disk = fixed(this.disk + r.disk)
    this.gpus = fixed(this.gpus + r.gpus)
    if (r.ports) for (const p of r.ports) this.ports.push(p)
  }

  total(): Resources {
    const out: Resources = { cpus: this.cpus, mem: this.mem, disk: this.disk, gpus: this.gpus }
    if (this.ports.length) out.ports = coalesce(this.ports)
    return out
  }
}

export function coalesce(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0])
  const out: Array<[number, number]> = []
  for (const [b, e] of sorted) {
    const last = out[out.length - 1]
    if (last && b <= last[1] + 1) last[1] = Math.max(last[1], e)
    else out.push([b, e])
  }
  return out
}
