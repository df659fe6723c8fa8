/**
 * Flink on Mesos: Marathon runs the `flink` app (the JobManager / Mesos application master), which
 * registers its own framework and launches TaskManagers on the agents. One TaskManager failed and
 * was replaced, a batch job finished, an older Flink session is a completed framework, and a pod
 * (task group) runs under Marathon's default executor.
 */
import type { Cluster } from '../cluster.js'
import type { Agent, Framework } from '../model.js'
import type { Scenario } from './types.js'

const TM_LOGS = ['stdout', 'stderr', 'flink-taskmanager.log']

/** A small stand-in for Flink's SQL client: prompts, echoes statements, `QUIT;` ends it. */
const SQL_CLIENT = [
  "echo 'Flink SQL Client (simulated). Statements are echoed back; QUIT; leaves.'",
  "while printf 'Flink SQL> ' && IFS= read -r line; do",
  '  case "$line" in',
  "    '') ;;",
  "    [Qq][Uu][Ii][Tt]*) echo 'Shutting down the session...'; echo 'done.'; exit 0 ;;",
  "    *) printf '[INFO] Executed: %s\\n' \"$line\" ;;",
  '  esac',
  'done',
].join('\n')

function taskManager(c: Cluster, fw: Framework, agent: Agent, n: number, at: number) {
  return c.launch({
    framework: fw,
    agent,
    id: `taskmanager-${String(n).padStart(5, '0')}`,
    name: `taskmanager-${String(n).padStart(5, '0')}`,
    command: '$FLINK_HOME/bin/mesos-taskmanager.sh -Djobmanager.rpc.address=127.0.0.1',
    resources: { cpus: 1, mem: 1024, disk: 0, ports: [[31000 + n * 2, 31001 + n * 2]] },
    kind: 'taskmanager',
    logs: TM_LOGS,
    at,
  })
}

export const flink: Scenario = {
  name: 'flink',
  agents: 3,
  agentResources: { cpus: 8, mem: 16384, disk: 100000, ports: [[31000, 32000]] },
  setup({ cluster: c, agents, now, later }) {
    const ag = (i: number) => agents[i % agents.length]!
    const marathon = c.addFramework(
      {
        name: 'marathon',
        user: 'root',
        principal: 'marathon',
        roles: ['*'],
        capabilities: ['TASK_KILLING_STATE', 'PARTITION_AWARE', 'MULTI_ROLE', 'REGION_AWARE'],
        webuiUrl: 'http://127.0.0.1:8080',
        failoverTimeout: 604800,
        checkpoint: true,
      },
      now - 7200,
    )
    // Marathon names tasks <app>.<uuid>
    const jmId = `flink.${c.rng.uuid()}`
    c.launch({
      framework: marathon,
      agent: ag(0),
      id: jmId,
      name: 'flink',
      command: '$FLINK_HOME/bin/mesos-appmaster.sh -Dmesos.master=zk://127.0.0.1:2181/mesos',
      resources: { cpus: 1, mem: 2048, disk: 0, ports: [[31000, 31001]] },
      kind: 'jobmanager',
      labels: [{ key: 'MARATHON_SINGLE_INSTANCE_APP', value: 'true' }],
      discovery: {
        visibility: 'FRAMEWORK',
        name: 'flink',
        ports: { ports: [{ number: 31000, protocol: 'tcp', name: 'ui' }] },
      },
      at: now - 3600,
    })
    // an interactive console launched with a TTY: a real process under a pty, for `attach`
    c.launch({
      framework: marathon,
      agent: ag(2),
      id: `flink-sql-client.${c.rng.uuid()}`,
      name: 'flink-sql-client',
      command: SQL_CLIENT,
      resources: { cpus: 0.5, mem: 512, disk: 0 },
      tty: true,
      at: now - 3300,
    })
    const pod = c.addExecutor(marathon, ag(1), `instance-sidecars.${c.rng.uuid()}`, { at: now - 3000 })
    for (const name of ['metrics-exporter', 'log-shipper'])
      c.launch({
        framework: marathon,
        agent: ag(1),
        executor: pod,
        id: `sidecars.instance-${pod.id.slice(18, 26)}.${name}`,
        name,
        command: `/usr/bin/${name}`,
        at: now - 3000,
      })

    const old = c.addFramework(
      { name: 'Flink session cluster (yesterday)', principal: 'flink', capabilities: ['TASK_KILLING_STATE'] },
      now - 90000,
    )
    const oldTm = taskManager(c, old, ag(1), 1, now - 89000)
    c.update(oldTm, 'TASK_KILLING', { at: now - 86400 })
    c.completeFramework(old, now - 86400)

    const fw = c.addFramework(
      {
        name: 'Flink',
        user: 'root',
        principal: 'flink',
        capabilities: ['TASK_KILLING_STATE'],
        webuiUrl: 'http://127.0.0.1:8081',
        failoverTimeout: 604800,
        checkpoint: true,
      },
      now - 3500,
    )
    for (let n = 1; n <= 4; n++) taskManager(c, fw, ag(n), n, now - 3400 + n)
    const failed = c.findTask('taskmanager-00003')!
    c.update(failed, 'TASK_FAILED', {
      at: now - 1800,
      message: 'Command exited with status 137',
      reason: 'REASON_COMMAND_EXECUTOR_FAILED',
    })
    taskManager(c, fw, ag(3), 5, now - 1790)

    const batch = c.addFramework({ name: 'batch-wordcount', principal: 'flink' }, now - 1200)
    const job = c.launch({
      framework: batch,
      agent: ag(2),
      id: 'wordcount-00001',
      name: 'wordcount',
      command: 'flink run -m 127.0.0.1:8081 WordCount.jar',
      kind: 'batch',
      at: now - 1100,
    })
    c.update(job, 'TASK_FINISHED', { at: now - 900 })
    const job2 = c.launch({
      framework: batch,
      agent: ag(0),
      id: 'wordcount-00002',
      name: 'wordcount',
      command: 'flink run -m 127.0.0.1:8081 WordCount.jar',
      kind: 'batch',
      at: now - 10,
    })

    // live: the running batch job finishes, a TaskManager dies and Flink asks for a replacement
    later(20_000, () => c.update(job2, 'TASK_FINISHED'))
    later(45_000, () => {
      const tm = c.findTask('taskmanager-00002')
      if (!tm) return
      c.update(tm, 'TASK_FAILED', {
        message: 'Command exited with status 137',
        reason: 'REASON_COMMAND_EXECUTOR_FAILED',
      })
      later(3_000, () => taskManager(c, fw, ag(2), 6, Date.now() / 1000))
    })
  },
}
