/**
 * What the hot commands do once their arguments are parsed, shared by the oclif commands and the
 * fast path (src/cli/fast.ts) so both run exactly the same code. No oclif imports here.
 */
import type { Deps } from '../core/deps.js'

// Each action loads what it needs when it runs, so a command pays only for its own imports.
const sandbox = () => import('../core/sandbox/service.js')

export interface TaskFlags {
  inactive: boolean
  quiet: boolean
}

export async function resolveAction(deps: Deps, spec: string | undefined, json: boolean): Promise<void> {
  const [{ resolveCommand }, { printJson }] = await Promise.all([
    import('../core/master/service.js'),
    import('../core/output/json.js'),
  ])
  const result = await resolveCommand(deps, spec, json)
  if (json) await printJson(deps.io, result)
  else await deps.io.out(`${result.leader}\n`)
}

export async function listAction(
  deps: Deps,
  task: string,
  path: string | undefined,
  f: TaskFlags & { json: boolean },
  recursive: boolean,
): Promise<void> {
  return (await sandbox()).listSandbox(deps, { filter: task, inactive: f.inactive, path: path ?? '', quiet: f.quiet, json: f.json, recursive })
}

export async function catAction(deps: Deps, task: string, files: string[], f: TaskFlags): Promise<void> {
  return (await sandbox()).catFiles(deps, { filter: task, inactive: f.inactive, files: files.length ? files : ['stdout'], quiet: f.quiet })
}

export async function headAction(
  deps: Deps,
  task: string,
  files: string[],
  f: TaskFlags & { lines: number },
): Promise<void> {
  return (await sandbox()).linesOf(deps, {
    filter: task,
    inactive: f.inactive,
    files: files.length ? files : ['stdout'],
    quiet: f.quiet,
    lines: f.lines,
    from: 'head',
  })
}

export async function tailAction(
  deps: Deps,
  task: string,
  files: string[],
  f: TaskFlags & { lines: number; follow: boolean; sleepInterval: number },
): Promise<void> {
  const list = files.length ? files : ['stdout']
  if (f.follow) {
    const { followFiles } = await import('../core/sandbox/follow.js')
    return followFiles(deps, {
      filter: task,
      inactive: f.inactive,
      files: list,
      lines: f.lines,
      quiet: f.quiet,
      intervalSec: f.sleepInterval,
    })
  }
  return (await sandbox()).linesOf(deps, {
    filter: task,
    inactive: f.inactive,
    files: list,
    quiet: f.quiet,
    lines: f.lines,
    from: 'tail',
  })
}
