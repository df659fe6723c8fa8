import { usageError } from '../../../core/errors.js'
import { defineCommand } from '../../grammar/types.js'

import { type SimVersion, VERSIONS } from '../../../sim/versions.js'

export default defineCommand({
  id: 'sim up',
  summary: 'Run a simulated Mesos cluster on loopback, in the foreground.',
  description: `Starts masters and agents as real HTTP servers on 127.0.0.1 with sandboxes on disk, behaving like Apache Mesos 1.11 (or --mesos-version). Prints the leading master and a command to try, then runs until Ctrl-C (or --duration), and removes its work directory and ZooKeeper nodes on the way out.

Scenarios: flink (default: Marathon running a Flink JobManager, Flink TaskManagers on several agents), hello (small), scale (--agents, --frameworks, --tasks), or a .json scenario file. Drive it with "mesos sim ctl".`,
  examples: [
    'mesos sim up',
    'mesos sim up --scenario hello --port 0 --duration 60',
    'mesos sim up --masters 3 --zk zk://127.0.0.1:2181/mesos',
    'mesos sim up --scenario scale --agents 1000 --tasks 100000 --port 0',
  ],
  globals: ['debug', 'no-color'],
  args: {},
  flags: {
    scenario: { kind: 'string', description: 'hello, flink, scale, or a path to a .json scenario', default: 'flink' },
    masters: { kind: 'integer', description: 'number of masters', default: 1, min: 1, max: 5 },
    agents: { kind: 'integer', description: 'number of agents (default: the scenario’s)', min: 1 },
    frameworks: { kind: 'integer', description: 'frameworks (scale scenario)', min: 1 },
    tasks: { kind: 'integer', description: 'tasks, completed ones included (scale scenario)', min: 0 },
    zk: { kind: 'string', description: 'register the masters in this ZooKeeper group (zk://host:port/path)' },
    port: { kind: 'integer', description: 'first master port; 0 picks free ports', default: 5050, min: 0, max: 65535 },
    workdir: { kind: 'string', description: 'work directory for sandboxes and logs (kept); default a temporary one', completes: 'local-file' },
    seed: { kind: 'integer', description: 'random seed, for a reproducible cluster' },
    'set-profile': { kind: 'string', description: 'save the leader in this .mesos.json profile', helpValue: '<name>', completes: 'profile' },
    duration: { kind: 'integer', description: 'stop after this many seconds', min: 1, max: 86_400 },
    https: { kind: 'boolean', description: 'serve https with a generated self-signed certificate' },
    auth: { kind: 'string', description: 'require HTTP basic authentication', helpValue: '<principal:secret>' },
    'mesos-version': { kind: 'string', description: 'behave like this Mesos version', options: VERSIONS, default: '1.11.0' },
    heartbeat: { kind: 'integer', description: 'SUBSCRIBE heartbeat interval in seconds', default: 15, min: 1, max: 86_400 },
    'control-port': { kind: 'integer', description: 'port of the control endpoint (0: free)', default: 0, min: 0, max: 65535 },
  },
  async run({ deps, flags }) {
    let auth: { principal: string; secret: string } | undefined
    if (flags.auth !== undefined) {
      const i = flags.auth.indexOf(':')
      if (i <= 0) throw usageError('--auth: expected principal:secret', ['mesos sim up --help'])
      auth = { principal: flags.auth.slice(0, i), secret: flags.auth.slice(i + 1) }
    }
    const { runSimulatorUp } = await import('../../../sim/up.js')
    const profile = flags['set-profile']
    await runSimulatorUp(deps.io, {
      scenario: flags.scenario,
      scenarioName: flags.scenario,
      masters: flags.masters,
      agents: flags.agents,
      frameworks: flags.frameworks,
      tasks: flags.tasks,
      zk: flags.zk,
      port: flags.port,
      workdir: flags.workdir,
      seed: flags.seed,
      https: flags.https,
      auth,
      version: flags['mesos-version'] as SimVersion,
      heartbeatSeconds: flags.heartbeat,
      controlPort: flags['control-port'],
      durationSec: flags.duration,
      profileName: profile,
      saveProfile:
        profile === undefined
          ? undefined
          : async (spec, caFile) => {
              const { setValue } = await import('../../../core/config/edit.js')
              const loc = { env: deps.env, cwd: deps.cwd, home: deps.home }
              const r = await setValue(loc, profile, 'master', spec)
              if (caFile) await setValue(loc, profile, 'ca_file', caFile)
              if (auth) {
                await setValue(loc, profile, 'principal', auth.principal)
                await setValue(loc, profile, 'secret', auth.secret)
              }
              return `saved master ${spec} in profile "${r.profile}" of ${r.path}`
            },
    })
  },
})
