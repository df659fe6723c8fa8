/** JSON on stdout: indented for people, one trailing newline, nothing else on the stream. */
import type { IO } from './io.js'

export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}

export function printJson(io: IO, value: unknown): Promise<void> {
  return io.out(formatJson(value))
}
