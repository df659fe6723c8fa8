import type { Cluster } from '../cluster.js'
import type { Agent, Resources } from '../model.js'
import type { Random } from '../random.js'

export interface ScenarioContext {
  cluster: Cluster
  rng: Random
  agents: Agent[]
  /** seconds since the epoch when the simulation started */
  now: number
  frameworks?: number
  tasks?: number
  /** run `fn` after `ms` while the simulation lives (live events) */
  later(ms: number, fn: () => void): void
}

export interface Scenario {
  name: string
  agents: number
  agentResources?: Partial<Resources>
  /** create sandboxes on disk at start-up (false: on first access) */
  eagerSandboxes?: boolean
  setup(ctx: ScenarioContext): void
}

/** The JSON scenario file format (docs/simulator.md). */
export interface ScenarioSpec {
  name?: string
  agents?: number
  agentResources?: Partial<Resources>
  frameworks: Array<{
    name: string
    role?: string
    roles?: string[]
    principal?: string
    user?: string
    webuiUrl?: string
    capabilities?: string[]
    completed?: boolean
    httpApi?: boolean
    tasks?: Array<{
      id: string
      name?: string
      agent?: number
      state?: string
      command?: string
      cpus?: number
      mem?: number
      disk?: number
      logs?: string[]
      kind?: string
      /** tasks with the same group share one DEFAULT executor of that id */
      group?: string
      /** launched with a TTY: `command` really runs under a pty (attach works on it) */
      tty?: boolean
      labels?: Record<string, string>
      startedSecondsAgo?: number
      endedSecondsAgo?: number
    }>
  }>
}
