/** Scenarios described as JSON (see ScenarioSpec). */
import { readFileSync } from 'node:fs'
import type { Executor, TaskState } from '../model.js'
import { getOrAdd } from '../util.js'
import type { Scenario, ScenarioSpec } from './types.js'

export function loadScenarioFile(path: string): ScenarioSpec {
  const spec = JSON.parse(readFileSync(path, 'utf8')) as ScenarioSpec
  if (!spec || !Array.isArray(spec.frameworks)) throw new Error(`${path}: expected {"frameworks": [...]}`)
  return spec
}

export function fromSpec(spec: ScenarioSpec): Scenario {
  return {
    name: spec.name ?? 'custom',
    agents: spec.agents ?? 1,
    agentResources: spec.agentResources,
    setup({ cluster: c, agents, now }) {
      for (const f of spec.frameworks) {
        const fw = c.addFramework(
          {
            name: f.name,
            role: f.roles ? undefined : (f.role ?? '*'),
            roles: f.roles,
            principal: f.principal,
            user: f.user ?? 'root',
            webuiUrl: f.webuiUrl ?? '',
            capabilities: f.capabilities ?? [],
            pid: f.httpApi === false ? `scheduler-${c.rng.uuid()}@127.0.0.1:40000` : undefined,
          },
          now - 3600,
        )
        const groups = new Map<string, Executor>()
        for (const t of f.tasks ?? []) {
          const agent = agents[(t.agent ?? 0) % agents.length]!
          let executor: Executor | undefined
          if (t.group) {
            const group = t.group
            executor = getOrAdd(groups, group, () =>
              c.addExecutor(fw, agent, group, { at: now - (t.startedSecondsAgo ?? 600) }),
            )
          }
          const state = (t.state ?? 'TASK_RUNNING') as TaskState
          const early = state === 'TASK_STAGING' || state === 'TASK_STARTING'
          const task = c.launch({
            framework: fw,
            agent: executor ? c.agents.get(executor.agentId)! : agent,
            executor,
            id: t.id,
            name: t.name,
            command: t.command,
            resources: { cpus: t.cpus ?? 0.1, mem: t.mem ?? 32, disk: t.disk ?? 0 },
            logs: t.logs,
            kind: t.kind,
            tty: t.tty,
            labels: t.labels ? Object.entries(t.labels).map(([key, value]) => ({ key, value })) : undefined,
            at: now - (t.startedSecondsAgo ?? 600),
            until: early ? (state as 'TASK_STAGING' | 'TASK_STARTING') : 'TASK_RUNNING',
          })
          if (!early && state !== 'TASK_RUNNING')
            c.update(task, state, { at: now - (t.endedSecondsAgo ?? 60) })
        }
        if (f.completed) c.completeFramework(fw, now - 30)
      }
    },
  }
}
