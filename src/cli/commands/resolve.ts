import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'resolve',
  readsCluster: true,
  summary: 'Print the address of the leading master.',
  description: `Resolves the master spec (the profile's master, MESOS_MASTER, --master, or SPEC) to the leading master and prints it as host:port, the address Mesos advertises.

zk:// specs read the lowest-sequence member of the ZooKeeper group; host:port and http(s) URLs ask that master's /master/redirect; file:// reads a spec from a file.`,
  examples: [
    'mesos resolve',
    'mesos resolve zk://zk1:2181,zk2:2181/mesos',
    'mesos resolve 10.0.0.5:5050 --json',
    'curl -s "http://$(mesos resolve)/master/state" | jq .version',
  ],
  args: { spec: { description: 'master spec to resolve instead of the configured one' } },
  flags: { json: { kind: 'boolean', description: 'print {leader, url, id, hostname, version, source} as JSON' } },
  async run({ deps, args, flags, render }) {
    const { leaderDetails } = await import('../../core/master/service.js')
    const result = await leaderDetails(deps, args.spec, flags.json)
    if (flags.json) await render.json(result)
    else await render.text(`${result.leader}\n`)
  },
})
