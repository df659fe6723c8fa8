/**
 * The oclif side of every command: the global flags of spec 1.3, building the run's Deps, and the
 * one place where an error becomes a `mesos: ...` line and an exit code.
 */
import { Command, Flags, type Interfaces } from '@oclif/core'
import { createDeps, type Deps } from '../core/deps.js'
import { installProcessHandlers } from '../core/lifecycle.js'
import { reportError } from './report.js'
import { secondsFlag } from './seconds.js'

const GLOBAL = 'GLOBAL'

export const globalFlags = {
  master: Flags.string({
    description: 'master spec (host:port, URL, zk://, file://); env MESOS_MASTER',
    helpGroup: GLOBAL,
    helpValue: '<spec>',
  }),
  profile: Flags.string({
    description: 'use this profile of .mesos.json; env MESOS_CLI_PROFILE',
    helpGroup: GLOBAL,
    helpValue: '<name>',
  }),
  timeout: secondsFlag('timeout', {
    description: 'seconds per HTTP request (overrides response_timeout)',
    helpGroup: GLOBAL,
  }),
  debug: Flags.boolean({
    description: 'log every request to stderr; stack traces on errors',
    helpGroup: GLOBAL,
  }),
  'no-color': Flags.boolean({ description: 'no colours (also NO_COLOR)', helpGroup: GLOBAL }),
}

export type GlobalFlags = Interfaces.InferredFlags<typeof globalFlags>

export abstract class MesosCommand extends Command {
  static override baseFlags = globalFlags

  protected deps?: Deps

  /** Builds the run's dependencies from the global flags. */
  protected async setup(flags: Partial<GlobalFlags>): Promise<Deps> {
    installProcessHandlers()
    this.deps = await createDeps({
      master: flags.master,
      profile: flags.profile,
      timeout: flags.timeout,
      debug: flags.debug,
      noColor: flags['no-color'],
    })
    return this.deps
  }

  protected override async catch(err: Error & { exitCode?: number }): Promise<void> {
    await reportError(err, this.deps, this.argv)
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    await this.deps?.close()
    await super.finally(err)
  }
}
