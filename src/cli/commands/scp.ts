import { defineCommand } from '../grammar/types.js'
import { sshFlags, sshFlagValues } from './ssh-flags.js'

export default defineCommand({
  id: 'scp',
  readsCluster: true,
  summary: 'Upload files to every agent over SFTP.',
  description: `Sends each FILE (directories recursively, file modes kept) into the directory REMOTE_PATH on every agent the master lists, or on those whose ID or hostname matches --agent; max_workers agents at a time. Connections are made as by mesos ssh (see its SSH flags).

Prints one line per (agent, file), sorted by agent hostname, then in the order of the FILE arguments:
  HOSTNAME:REMOTE_PATH/NAME<TAB>uploaded
  HOSTNAME:REMOTE_PATH/NAME<TAB>failed: REASON
A failure on one agent never stops the others; the exit status is 1 if any upload failed. A progress bar is shown on stderr when it is a terminal.`,
  examples: ['mesos scp ./hotfix.jar /opt/app/lib', 'mesos scp --agent rack-2 -l deploy conf/ scripts/run.sh /srv/deploy', "mesos scp app.tgz /tmp | grep -v 'uploaded$'"],
  usage: '[SSH FLAGS] [--agent FILTER] FILE... REMOTE_PATH',
  args: {
    file: { description: 'local files or directories to upload', required: true, variadic: true, completes: 'local-file' },
    remote_path: { description: 'directory on every agent to upload into (last argument)', required: true },
  },
  flags: {
    agent: { kind: 'string', description: 'only agents whose ID or hostname contains this (exact match wins)', helpValue: '<filter>', completes: 'agent' },
    ...sshFlags,
    // one set of SSH FLAGS for ssh and scp (spec): an upload never needs a terminal, so it changes nothing
    tty: { kind: 'boolean', char: 't', description: 'accepted as for ssh; SFTP uploads use no terminal', group: 'SSH' },
  },
  async run({ deps, args, flags }) {
    const { scpToAgents } = await import('../../core/ssh/scp.js')
    await scpToAgents(deps, { files: args.file, remotePath: args.remote_path, agentFilter: flags.agent, flags: sshFlagValues(flags) })
  },
})
