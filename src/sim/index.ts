/** The simulator's programmatic API (docs/simulator.md). */
export { type ControlServer, runAction, startControl } from './control.js'
export type { Agent, Executor, Framework, Task, TaskState, TaskStatus } from './model.js'
export { RecordReader } from './recordio.js'
export type { ScenarioSpec } from './scenarios/index.js'
export {
  type AgentEndpoint,
  ALL_REALMS,
  type LaunchOptions,
  type MasterEndpoint,
  type RequestFilter,
  Simulator,
  type SimulatorOptions,
  startSimulator,
} from './simulator.js'
export type { SimVersion } from './versions.js'
