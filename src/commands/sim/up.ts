import { rmSync, writeFileSync } from 'node:fs'
import { Flags } from '@oclif/core'
import { MesosCommand } from '../../cli/base.js'
import { failure, usageError } from '../../core/errors.js'
import { onExit } from '../../core/lifecycle.js'
import { startControl } from '../../sim/control.js'
import { pointerFile } from '../../sim/pointer.js'
import { type Simulator, type SimulatorOptions, startSimulator } from '../../sim/simulator.js'
import { VERSIONS, type SimVersion } from '../../sim/versions.js'

export default class SimUp extends MesosCommand {
  static override summary = 'Run a simulated Mesos cluster on loopback, in the foreground.'
  static override description = `Starts masters and agents as real HTTP servers on 127.0.0.1 with sandboxes on disk, behaving like Apache Mesos 1.11 (or --mesos-version). Prints the leading master and a command to try, then runs until Ctrl-C (or --duration), and removes its work directory and ZooKeeper nodes on the way out.

Scenarios: flink (default: Marathon running a Flink JobManager, Flink TaskManagers on several agents), hello (small), scale (--agents, --frameworks, --tasks), or a .json scenario file. Drive it with "mesos sim ctl".`
  static override examples = [
    '<%= config.bin %> sim up',
    '<%= config.bin %> sim up --scenario hello --port 0 --duration 60',
    '<%= config.bin %> sim up --masters 3 --zk zk://127.0.0.1:2181/mesos',
    '<%= config.bin %> sim up --scenario scale --agents 1000 --tasks 100000 --port 0',
  ]
  static override flags = {
    scenario: Flags.string({ description: 'hello, flink, scale, or a path to a .json scenario', default: 'flink' }),
    masters: Flags.integer({ description: 'number of masters', default: 1, min: 1, max: 5 }),
    agents: Flags.integer({ description: 'number of agents (default: the scenario’s)', min: 1 }),
    frameworks: Flags.integer({ description: 'frameworks (scale scenario)', min: 1 }),
    tasks: Flags.integer({ description: 'tasks, completed ones included (scale scenario)', min: 0 }),
    zk: Flags.string({ description: 'register the masters in this ZooKeeper group (zk://host:port/path)' }),
    port: Flags.integer({ description: 'first master port; 0 picks free ports', default: 5050, min: 0, max: 65535 }),
    workdir: Flags.string({ description: 'work directory for sandboxes and logs (kept); default a temporary one' }),
    seed: Flags.integer({ description: 'random seed, for a reproducible cluster' }),
    'set-profile': Flags.string({ description: 'save the leader in this .mesos.json profile', helpValue: '<name>' }),
    duration: Flags.integer({ description: 'stop after this many seconds', min: 1 }),
    https: Flags.boolean({ description: 'serve https with a generated self-signed certificate' }),
    auth: Flags.string({ description: 'require HTTP basic authentication', helpValue: '<principal:secret>' }),
    'mesos-version': Flags.string({ description: 'behave like this Mesos version', options: [...VERSIONS], default: '1.11.0' }),
    heartbeat: Flags.integer({ description: 'SUBSCRIBE heartbeat interval in seconds', default: 15, min: 1 }),
    'control-port': Flags.integer({ description: 'port of the control endpoint (0: free)', default: 0, min: 0 }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(SimUp)
    const deps = await this.setup(flags)
    const io = deps.io
    let auth: SimulatorOptions['auth']
    if (flags.auth) {
      const i = flags.auth.indexOf(':')
      if (i <= 0) throw usageError('--auth expects principal:secret')
      auth = { principal: flags.auth.slice(0, i), secret: flags.auth.slice(i + 1) }
    }
    let sim: Simulator
    try {
      sim = await startSimulator({
        scenario: flags.scenario,
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
      })
    } catch (e) {
      const err = e as NodeJS.ErrnoException
      if (err.code === 'EADDRINUSE')
        throw failure(`port ${flags.port} is in use`, ['pick another with --port, or --port 0 for free ports'])
      throw failure(`cannot start the simulator: ${err.message}`)
    }
    const control = await startControl(sim, flags['control-port'])
    const pointer = pointerFile()
    writeFileSync(pointer, JSON.stringify({ control: control.url, leader: sim.leader?.address, pid: process.pid }))
    let stopping: Promise<void> | undefined
    const stop = () => {
      stopping ??= (async () => {
        rmSync(pointer, { force: true })
        await control.close()
        await sim.stop()
      })()
      return stopping
    }
    // last resort if the process exits without the async stop
    onExit(() => {
      rmSync(pointer, { force: true })
      if (!flags.workdir) rmSync(sim.workdir, { recursive: true, force: true })
    })
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.removeAllListeners(sig)
      process.once(sig, () => {
        void stop().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143))
      })
    }

    const leader = sim.leader!
    const spec = flags.zk ?? (sim.scheme === 'https' ? leader.url : leader.address)
    if (flags['set-profile']) {
      const { setValue } = await import('../../core/config/edit.js')
      const loc = { env: deps.env, cwd: deps.cwd, home: deps.home }
      const r = await setValue(loc, flags['set-profile'], 'master', spec)
      if (sim.caFile) await setValue(loc, flags['set-profile'], 'ca_file', sim.caFile)
      if (auth) {
        await setValue(loc, flags['set-profile'], 'principal', auth.principal)
        await setValue(loc, flags['set-profile'], 'secret', auth.secret)
      }
      io.note(`saved master ${spec} in profile "${r.profile}" of ${r.path}`)
    }
    await io.out(`leader: ${leader.address}\n`)
    const tip = flags['set-profile'] ? `mesos --profile ${flags['set-profile']} ps` : `mesos --master ${spec} ps`
    await io.out(`try: ${tip}\n`)
    const nTasks = sim.activeTasks().length
    io.note(
      `mesos sim: ${flags.scenario} scenario, Mesos ${flags['mesos-version']}, ${sim.masters.length} master(s), ${sim.agents.length} agent(s), ${nTasks} active task(s)`,
    )
    if (sim.masters.length > 1) io.note(`masters: ${sim.masters.map((m) => m.address).join(' ')}`)
    if (sim.caFile) io.note(`certificate: ${sim.caFile}`)
    io.note(`workdir: ${sim.workdir}`)
    io.note(`control: ${control.url} (mesos sim ctl --help)`)
    io.note(flags.duration ? `stopping in ${flags.duration}s (or Ctrl-C)` : 'Ctrl-C to stop')
    await new Promise<void>((resolve) => {
      if (flags.duration) setTimeout(resolve, flags.duration * 1000)
    })
    await stop()
  }
}
