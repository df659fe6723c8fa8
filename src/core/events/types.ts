/** The parts of the master's v1 events (SUBSCRIBE stream) that the CLI reads. */

type Id = { value?: string }

export interface V1Task {
  task_id?: Id
  framework_id?: Id
  agent_id?: Id
  state?: string
  name?: string
}

export interface MasterEvent {
  type?: string
  subscribed?: {
    get_state?: {
      get_tasks?: { tasks?: V1Task[]; unreachable_tasks?: V1Task[]; completed_tasks?: V1Task[] }
      get_frameworks?: { frameworks?: { framework_info?: { id?: Id; name?: string } }[] }
      get_agents?: { agents?: { agent_info?: { id?: Id; hostname?: string } }[] }
    }
    heartbeat_interval_seconds?: number
  }
  task_added?: { task?: V1Task }
  task_updated?: {
    framework_id?: Id
    state?: string
    status?: { task_id?: Id; agent_id?: Id; state?: string; timestamp?: number; message?: string; reason?: string }
  }
  agent_added?: { agent?: { agent_info?: { id?: Id; hostname?: string } } }
  agent_removed?: { agent_id?: Id }
  framework_added?: { framework?: { framework_info?: { id?: Id; name?: string } } }
  framework_updated?: { framework?: { framework_info?: { id?: Id; name?: string } } }
  framework_removed?: { framework_info?: { id?: Id; name?: string } }
}
