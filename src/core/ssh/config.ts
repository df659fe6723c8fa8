/**
 * `~/.ssh/config`, read once per run and computed per host by the `ssh-config` package (Host and
 * Match patterns, first value wins). `Match exec` is not run: we do not start processes for it.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type SSHConfig from 'ssh-config'
import { usageError } from '../errors.js'
import type { ComputedConfig } from './options.js'

export class SshConfigFile {
  private parsed?: Promise<SSHConfig | undefined>

  constructor(readonly path: string) {}

  static inHome(home: string): SshConfigFile {
    return new SshConfigFile(join(home, '.ssh', 'config'))
  }

  private load(): Promise<SSHConfig | undefined> {
    this.parsed ??= (async () => {
      let text: string
      try {
        text = await readFile(this.path, 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw usageError(`cannot read ${this.path}: ${(err as Error).message}`)
      }
      const { default: SSHConfigClass } = await import('ssh-config')
      try {
        return SSHConfigClass.parse(text)
      } catch (err) {
        throw usageError(`cannot parse ${this.path}: ${(err as Error).message}`)
      }
    })()
    return this.parsed
  }

  async compute(host: string): Promise<ComputedConfig> {
    const cfg = await this.load()
    return cfg ? cfg.compute(host, { ignoreCase: true, matchExec: false }) : {}
  }
}
