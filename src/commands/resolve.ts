import { Args, Flags } from '@oclif/core'
import { MesosCommand } from '../cli/base.js'
import { resolveAction } from '../cli/actions.js'

export default class Resolve extends MesosCommand {
  static override summary = 'Print the address of the leading master.'
  static override description =
    `Resolves the master spec (the profile's master, MESOS_MASTER, --master, or SPEC) to the leading master and prints it as host:port, the address Mesos advertises.

zk:// specs read the lowest-sequence member of the ZooKeeper group; host:port and http(s) URLs ask that master's /master/redirect; file:// reads a spec from a file.`
  static override examples = [
    '<%= config.bin %> resolve',
    '<%= config.bin %> resolve zk://zk1:2181,zk2:2181/mesos',
    '<%= config.bin %> resolve 10.0.0.5:5050 --json',
    'curl -s "http://$(<%= config.bin %> resolve)/master/state" | jq .version',
  ]
  static override args = {
    spec: Args.string({ description: 'master spec to resolve instead of the configured one' }),
  }
  static override flags = {
    json: Flags.boolean({ description: 'print {leader, url, id, hostname, version, source} as JSON' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Resolve)
    const deps = await this.setup(flags)
    await resolveAction(deps, args.spec, flags.json)
  }
}
