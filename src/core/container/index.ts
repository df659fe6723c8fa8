/** The container client: exec and attach on the agent v1 API (see session.ts for the contract). */
export { assertExecutable, ContainerError, type ContainerFailure, type ExecTarget, refusal } from './errors.js'
export {
  type ContainerId,
  exitCodeOf,
  parseVersion,
  supportsExec,
  waitCall,
  type WindowSize,
} from './protocol.js'
export {
  attachTask,
  type AttachOptions,
  type ExecResult,
  type Handle,
  launchSession,
  type SessionOptions,
  startSession,
} from './session.js'
