/** What a simulator is asked to be, and how tests address its parts. */
import type { Acls } from './http.js'
import type { ScenarioSpec } from './scenarios/index.js'
import type { SimVersion } from './versions.js'

export interface SimulatorOptions {
  /** 'hello', 'flink' (default), 'scale', a path to a .json scenario, or a spec object */
  scenario?: string | ScenarioSpec
  masters?: number
  agents?: number
  /** scale scenario */
  frameworks?: number
  tasks?: number
  /** `zk://127.0.0.1:PORT/mesos`: register masters there and elect the lowest sequence */
  zk?: string
  /** first master port; 0 (default) picks free ports. Masters use port, port+1, ... */
  port?: number
  /** kept on stop() when given; a temporary directory (removed on stop) otherwise */
  workdir?: string
  seed?: number
  /** basic authentication; `principals` adds more credentials, `acls` denies actions (403) */
  auth?: { principal: string; secret: string; realms?: string[]; principals?: Record<string, string>; acls?: Acls }
  https?: boolean
  version?: SimVersion
  /** SUBSCRIBE heartbeat interval, default 15 */
  heartbeatSeconds?: number
  /** agent streaming (exec) heartbeat interval, default 30 */
  agentHeartbeatSeconds?: number
  /** how often running tasks append to their logs; 0 stops them; default 1000 */
  logIntervalMs?: number
  /** pace /metrics/snapshot and /monitor/statistics at 2 per second (as libprocess); default true */
  rateLimit?: boolean
  /** create every sandbox at start-up (default: scenario's choice) */
  eagerSandboxes?: boolean
  /** scripted events of the scenario (TaskManager failure, batch job finishing); default true */
  liveEvents?: boolean
}

export interface Endpoint {
  host: string
  port: number
  /** `http://127.0.0.1:5050` */
  url: string
  /** `127.0.0.1:5050` */
  address: string
}

export interface MasterEndpoint extends Endpoint {
  index: number
  id: string
  pid: string
}

export interface AgentEndpoint extends Endpoint {
  id: string
  pid: string
}

export interface RequestFilter {
  /** 'master:0', 'agent:<id>', 'masters', 'agents' */
  server?: string
  /** an agent ID (shorthand for server: 'agent:<id>') */
  agent?: string
  path?: string | RegExp
  /** the raw query string (`path=%2F...&offset=0`), exact or a pattern */
  query?: string | RegExp
  method?: string
}

export interface LaunchOptions {
  framework?: string
  agent?: string
  id?: string
  name?: string
  command?: string
  cpus?: number
  mem?: number
  logs?: string[]
  kind?: string
  until?: 'TASK_STAGING' | 'TASK_STARTING' | 'TASK_RUNNING'
  /** launched with a TTY: the command really runs under a pty (for attach) */
  tty?: boolean
  /**
   * Skip the master's task ID validation: a task as a non-conforming master or proxy could serve it
   * (control characters in its ID), for the CLI's terminal safety. Scenario files are not checked
   * either: they describe what a cluster holds, not a launch.
   */
  unchecked?: boolean
}

export const ALL_REALMS = [
  'mesos-master-readonly',
  'mesos-master-readwrite',
  'mesos-agent-readonly',
  'mesos-agent-readwrite',
]
