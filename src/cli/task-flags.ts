/** Flags and arguments shared by the commands that take a TASK filter. */
import { Args, Flags } from '@oclif/core'

export const taskFlags = {
  inactive: Flags.boolean({ char: 'i', description: 'include completed tasks (of running and completed frameworks)' }),
}

export const quietFlag = {
  quiet: Flags.boolean({ char: 'q', description: 'no ==> TASK:FILE <== headers' }),
}

export const linesFlag = {
  lines: Flags.integer({ char: 'n', description: 'number of lines', default: 10, min: 0 }),
}

export const taskArg = Args.string({
  description: 'task ID, a fragment of it, or a shell glob (exact ID wins)',
  required: true,
})

/** FILE arguments after TASK (oclif collects them in argv when the command is not strict). */
export function fileArgs(argv: unknown[]): string[] {
  return argv.slice(1).map(String)
}
