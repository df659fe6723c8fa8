/** A small cluster: two agents, one framework, a few tasks, one finished and one failed. */
import type { Scenario } from './types.js'

export const hello: Scenario = {
  name: 'hello',
  agents: 2,
  setup({ cluster, agents, now }) {
    const a0 = agents[0]!
    const a1 = agents[1] ?? a0
    const fw = cluster.addFramework({ name: 'hello', principal: 'hello', user: 'root' }, now - 600)
    for (const [i, agent] of [a0, a1, a0].entries())
      cluster.launch({
        framework: fw,
        agent,
        id: `hello-${i + 1}`,
        name: 'hello',
        command: 'while true; do echo hello; sleep 1; done',
        at: now - 500 + i * 10,
      })
    const done = cluster.launch({
      framework: fw,
      agent: a1,
      id: 'hello-once',
      name: 'hello-once',
      command: 'echo hello once',
      at: now - 400,
    })
    cluster.update(done, 'TASK_FINISHED', { at: now - 390 })
    const bad = cluster.launch({
      framework: fw,
      agent: a0,
      id: 'hello-broken',
      name: 'hello-broken',
      command: 'exit 1',
      at: now - 300,
    })
    cluster.update(bad, 'TASK_FAILED', {
      at: now - 299,
      message: 'Command exited with status 1',
      reason: 'REASON_COMMAND_EXECUTOR_FAILED',
    })
  },
}
