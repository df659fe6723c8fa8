/**
 * An agent's sandbox attachments (reference §4.1): each executor run is reachable under its real
 * directory, `runs/latest` and, from 1.5, `/frameworks/<fw>/executors/<id>/runs/latest`. They are
 * derived from the attached executors when asked for, not stored as three strings each: 1,000,000
 * executors would otherwise hold 3,000,000 paths.
 */
import { join } from 'node:path'
import type { Attachments } from '../files.js'
import type { Executor } from '../model.js'

const latestOf = (ex: Executor): string => join(join(ex.directory, '..'), 'latest')
const virtualOf = (ex: Executor): string => `/frameworks/${ex.frameworkId}/executors/${ex.id}/runs/latest`

export class SandboxAttachments implements Attachments {
  private readonly executors = new Set<Executor>()

  constructor(private readonly frameworksVirtualPath: boolean) {}

  attach(ex: Executor): void {
    this.executors.add(ex)
  }

  detach(ex: Executor): void {
    this.executors.delete(ex)
  }

  /** The executor a virtual path names: the last attached run wins `latest`, as a re-attach would. */
  executorAt(path: string): Executor | undefined {
    if (!path.includes('/runs/')) return undefined
    const latest = path.endsWith('/runs/latest')
    const virtual = latest && this.frameworksVirtualPath && path.startsWith('/frameworks/')
    let found: Executor | undefined
    for (const ex of this.executors) {
      if (ex.directory === path) return ex
      if (virtual ? virtualOf(ex) === path : latest && latestOf(ex) === path) found = ex
    }
    return found
  }

  get(path: string): string | undefined {
    return this.executorAt(path)?.directory
  }

  *entries(): Iterable<[string, string]> {
    for (const ex of this.executors) {
      yield [ex.directory, ex.directory]
      yield [latestOf(ex), ex.directory]
      if (this.frameworksVirtualPath) yield [virtualOf(ex), ex.directory]
    }
  }
}
