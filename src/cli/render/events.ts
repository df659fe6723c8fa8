/**
 * One human line per v1 master event: `TIMESTAMP TYPE DETAILS`, naming the task, its new state, the
 * agent's hostname and the framework's name. Names are learnt from SUBSCRIBED's state and from the
 * events themselves. Heartbeats print nothing.
 */

import type { MasterEvent, V1Task } from '../../core/events/types.js'

export class EventContext {
  readonly agents = new Map<string, string>()
  readonly frameworks = new Map<string, string>()
  readonly taskAgents = new Map<string, string>()

  learn(ev: MasterEvent): void {
    const state = ev.subscribed?.get_state
    if (state) {
      for (const a of state.get_agents?.agents ?? []) this.agent(a.agent_info?.id?.value, a.agent_info?.hostname)
      for (const f of state.get_frameworks?.frameworks ?? [])
        this.framework(f.framework_info?.id?.value, f.framework_info?.name)
      const t = state.get_tasks
      for (const task of [...(t?.tasks ?? []), ...(t?.unreachable_tasks ?? []), ...(t?.completed_tasks ?? [])])
        this.task(task)
    }
    if (ev.task_added?.task) this.task(ev.task_added.task)
    const a = ev.agent_added?.agent?.agent_info
    if (a) this.agent(a.id?.value, a.hostname)
    for (const f of [ev.framework_added?.framework?.framework_info, ev.framework_updated?.framework?.framework_info])
      if (f) this.framework(f.id?.value, f.name)
  }

  private agent(id?: string, hostname?: string) {
    if (id && hostname) this.agents.set(id, hostname)
  }
  private framework(id?: string, name?: string) {
    if (id && name !== undefined) this.frameworks.set(id, name)
  }
  private task(t: V1Task) {
    if (t.task_id?.value && t.agent_id?.value) this.taskAgents.set(t.task_id.value, t.agent_id.value)
  }
}

function iso(sec: number): string {
  return new Date(sec * 1000).toISOString()
}

/** The line for an event (after `ctx.learn(ev)`), or undefined for events not shown. */
export function formatEvent(ev: MasterEvent, ctx: EventContext, nowSec: number): string | undefined {
  const host = (agentId?: string) => (agentId ? (ctx.agents.get(agentId) ?? agentId) : '-')
  const fw = (id?: string) => (id ? (ctx.frameworks.get(id) ?? id) : '-')
  switch (ev.type) {
    case 'TASK_ADDED': {
      const t = ev.task_added?.task
      return `${iso(nowSec)} TASK_ADDED ${t?.task_id?.value ?? '-'} ${t?.state ?? '-'} agent=${host(t?.agent_id?.value)} framework=${fw(t?.framework_id?.value)}`
    }
    case 'TASK_UPDATED': {
      const u = ev.task_updated
      const s = u?.status
      const task = s?.task_id?.value
      const agent = s?.agent_id?.value ?? (task ? ctx.taskAgents.get(task) : undefined)
      const why = s?.message ? ` message=${JSON.stringify(s.message)}` : ''
      return `${iso(s?.timestamp ?? nowSec)} TASK_UPDATED ${task ?? '-'} ${u?.state ?? s?.state ?? '-'} agent=${host(agent)} framework=${fw(u?.framework_id?.value)}${why}`
    }
    case 'AGENT_ADDED': {
      const a = ev.agent_added?.agent?.agent_info
      return `${iso(nowSec)} AGENT_ADDED ${a?.id?.value ?? '-'} ${a?.hostname ?? '-'}`
    }
    case 'AGENT_REMOVED': {
      const id = ev.agent_removed?.agent_id?.value
      return `${iso(nowSec)} AGENT_REMOVED ${id ?? '-'} ${host(id)}`
    }
    case 'FRAMEWORK_ADDED':
    case 'FRAMEWORK_UPDATED': {
      const f = (ev.framework_added ?? ev.framework_updated)?.framework?.framework_info
      return `${iso(nowSec)} ${ev.type} ${f?.id?.value ?? '-'} ${f?.name ?? '-'}`
    }
    case 'FRAMEWORK_REMOVED': {
      const f = ev.framework_removed?.framework_info
      return `${iso(nowSec)} FRAMEWORK_REMOVED ${f?.id?.value ?? '-'} ${f?.name ?? fw(f?.id?.value)}`
    }
    case 'HEARTBEAT':
    case 'SUBSCRIBED':
      return undefined
    default:
      return `${iso(nowSec)} ${ev.type ?? 'UNKNOWN'}`
  }
}
