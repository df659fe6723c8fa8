/** The shell scripts shipped in completions/, as `mesos completion SHELL` prints them. */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

const FILES: Record<Shell, string> = { bash: 'mesos.bash', zsh: '_mesos', fish: 'mesos.fish' }

export function scriptPath(shell: Shell): string {
  return fileURLToPath(new URL(`../../../completions/${FILES[shell]}`, import.meta.url))
}

export function completionScript(shell: Shell): Promise<string> {
  return readFile(scriptPath(shell), 'utf8')
}
