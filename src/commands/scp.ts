import { Args, Flags } from '@oclif/core'
import { MesosCommand } from '../cli/base.js'
import { usageError } from '../core/errors.js'
import { sshFlags, sshFlagValues } from '../cli/ssh-flags.js'

export default class Scp extends MesosCommand {
  static override summary = 'Upload files to every agent over SFTP.'
  static override description = `Sends each FILE (directories recursively, file modes kept) into the directory REMOTE_PATH on every agent the master lists, or on those whose ID or hostname matches --agent; max_workers agents at a time. Connections are made as by mesos ssh (see its SSH flags).

Prints one line per (agent, file), sorted by agent hostname, then in the order of the FILE arguments:
  HOSTNAME:REMOTE_PATH/NAME<TAB>uploaded
  HOSTNAME:REMOTE_PATH/NAME<TAB>failed: REASON
A failure on one agent never stops the others; the exit status is 1 if any upload failed. A progress bar is shown on stderr when it is a terminal.`
  static override examples = [
    '<%= config.bin %> scp ./hotfix.jar /opt/app/lib',
    '<%= config.bin %> scp --agent rack-2 -l deploy conf/ scripts/run.sh /srv/deploy',
    "<%= config.bin %> scp app.tgz /tmp | grep -v 'uploaded$'",
  ]
  static override usage = '<%= command.id %> [SSH FLAGS] [--agent FILTER] FILE... REMOTE_PATH'
  static override strict = false
  static override args = {
    file: Args.string({ description: 'local files or directories to upload', required: true }),
    remote_path: Args.string({ description: 'directory on every agent to upload into (last argument)', required: true }),
  }
  static override flags = {
    agent: Flags.string({ description: 'only agents whose ID or hostname contains this (exact match wins)', helpValue: '<filter>' }),
    ...sshFlags,
  }

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Scp)
    const deps = await this.setup(flags)
    const words = argv.map(String)
    if (words.length < 2) throw usageError('expected FILE... REMOTE_PATH')
    const { scpToAgents } = await import('../core/ssh/scp.js')
    await scpToAgents(deps, {
      files: words.slice(0, -1),
      remotePath: words.at(-1)!,
      agentFilter: flags.agent,
      flags: sshFlagValues(flags),
    })
  }
}
