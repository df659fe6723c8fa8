/** Many agents and tasks in one process, for benchmarks: `--agents`, `--frameworks`, `--tasks`. */
import type { Scenario } from './types.js'

export const scale: Scenario = {
  name: 'scale',
  agents: 1000,
  eagerSandboxes: false,
  agentResources: { cpus: 64, mem: 262144, disk: 1000000, ports: [[31000, 32000]] },
  setup({ cluster: c, agents, now, rng, frameworks = 10, tasks = 100_000 }) {
    const fws = Array.from({ length: frameworks }, (_, i) =>
      c.addFramework({ name: `framework-${i}`, principal: `fw${i}` }, now - 86400),
    )
    // a fifth of the tasks completed, kept within the master's per-framework retention
    // one frozen object: the cluster then shares the tasks' and executors' resources
    const resources = Object.freeze({ cpus: 0.1, mem: 64, disk: 0 })
    const completed = Math.min(Math.floor(tasks / 5), frameworks * c.limits.maxCompletedTasksPerFramework)
    for (let i = 0; i < tasks; i++) {
      const fw = fws[i % frameworks]!
      const agent = agents[i % agents.length]!
      const at = now - 80000 + (i * 70000) / tasks
      const t = c.launch({
        framework: fw,
        agent,
        id: `task-${String(i).padStart(6, '0')}`,
        name: `app-${i % 97}`,
        command: 'sleep 86400',
        resources,
        at,
      })
      if (i < completed) c.update(t, rng.next() < 0.8 ? 'TASK_FINISHED' : 'TASK_FAILED', { at: at + 60 })
    }
  },
}
