/**
 * `spawn`, with node:child_process loaded on first use. Loading it (with the dgram and pipe modules
 * it pulls in) costs every start a few milliseconds, and most runs never start a process: only the
 * pager, the closed-stdout watcher of streaming commands, plugins and completion's refresh do.
 */
import type * as childProcess from 'node:child_process'

export const spawn = ((...args: Parameters<typeof childProcess.spawn>) =>
  process.getBuiltinModule('node:child_process').spawn(...args)) as typeof childProcess.spawn
