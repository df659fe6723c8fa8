/** Dependencies for a TAB's network work: nothing it does may reach the terminal. */
import { Writable } from 'node:stream'
import { createDeps, type Deps } from '../deps/index.js'
import { createIO } from '../output/io.js'
import { rememberForCompletion } from './cache.js'

export async function silentDeps(init: {
  env?: NodeJS.ProcessEnv
  cwd?: string
  home?: string
  profile?: string
  master?: string
  /** Seconds per request, instead of the profile's `response_timeout`. */
  timeout?: number
}): Promise<Deps> {
  const sink = () => new Writable({ write: (_chunk, _enc, done) => done() })
  const io = await createIO({ stdout: sink(), stderr: sink(), env: { NO_COLOR: '1' }, noColor: true })
  return createDeps({ ...init, io, taskIndexFetched: rememberForCompletion })
}
