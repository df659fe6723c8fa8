/** The shell scripts shipped in completions/, as `mesos completion SHELL` prints them. */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { packageRoot } from '../paths.js'

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

const FILES: Record<Shell, string> = { bash: 'mesos.bash', zsh: '_mesos', fish: 'mesos.fish' }

export function scriptPath(shell: Shell): string {
  return join(packageRoot(), 'completions', FILES[shell])
}

export function completionScript(shell: Shell): Promise<string> {
  return readFile(scriptPath(shell), 'utf8')
}
