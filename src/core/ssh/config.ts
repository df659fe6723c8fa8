/**
 * `~/.ssh/config`, read once per run and computed per host by the `ssh-config` package (Host and
 * Match patterns, first value wins). `Include` files are spliced in where they stand (the package
 * does not follow them); `Match exec` is not run: we do not start processes for it.
 */
import { readdir, readFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join } from 'node:path'
import type SSHConfig from 'ssh-config'
import { setupError } from '../errors.js'
import { wildcardRegExp } from './known-hosts.js'
import type { ComputedConfig } from './options.js'

const INCLUDE = /^\s*include(?:\s*=\s*|\s+)(.+?)\s*$/i
const MAX_DEPTH = 16

function words(s: string): string[] {
  return [...s.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!)
}

/** The files an Include pattern names, sorted; wildcards are allowed in the last component. */
async function includedFiles(pattern: string, home: string): Promise<string[]> {
  const path = pattern === '~' || pattern.startsWith('~/') ? join(home, pattern.slice(1)) : pattern
  const full = isAbsolute(path) ? path : join(home, '.ssh', path)
  const name = basename(full)
  if (!/[*?]/.test(name)) return [full]
  const re = wildcardRegExp(name)
  try {
    return (await readdir(dirname(full))).filter((f) => re.test(f)).sort().map((f) => join(dirname(full), f))
  } catch {
    return []
  }
}

/** The text with every Include replaced by the files it names (missing ones skipped, as OpenSSH does). */
export async function expandIncludes(text: string, home: string, depth = 0): Promise<string> {
  if (depth > MAX_DEPTH) throw setupError(`~/.ssh/config: Include nested more than ${MAX_DEPTH} deep`)
  const out: string[] = []
  for (const line of text.split('\n')) {
    const m = INCLUDE.exec(line)
    if (!m) {
      out.push(line)
      continue
    }
    for (const pattern of words(m[1]!)) {
      for (const file of await includedFiles(pattern, home)) {
        let included: string
        try {
          included = await readFile(file, 'utf8')
        } catch {
          continue
        }
        out.push(await expandIncludes(included, home, depth + 1))
      }
    }
  }
  return out.join('\n')
}

export class SshConfigFile {
  private parsed?: Promise<SSHConfig | undefined>

  constructor(
    readonly path: string,
    private readonly home: string,
  ) {}

  static inHome(home: string): SshConfigFile {
    return new SshConfigFile(join(home, '.ssh', 'config'), home)
  }

  private load(): Promise<SSHConfig | undefined> {
    this.parsed ??= (async () => {
      let text: string
      try {
        text = await readFile(this.path, 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw setupError(`cannot read ${this.path}: ${(err as Error).message}`)
      }
      text = await expandIncludes(text, this.home)
      const { default: SSHConfigClass } = await import('ssh-config')
      try {
        return SSHConfigClass.parse(text)
      } catch (err) {
        throw setupError(`cannot parse ${this.path}: ${(err as Error).message}`)
      }
    })()
    return this.parsed
  }

  async compute(host: string): Promise<ComputedConfig> {
    const cfg = await this.load()
    return cfg ? cfg.compute(host, { ignoreCase: true, matchExec: false }) : {}
  }
}
