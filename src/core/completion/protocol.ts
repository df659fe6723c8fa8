/**
 * The `mesos __complete WORDS...` protocol shared with the shell scripts in completions/.
 *
 * Input: the words after `mesos` up to the cursor; the last one is the word being completed (empty
 * after a space). Output on stdout: one candidate per line, `VALUE` or `VALUE<TAB>DESCRIPTION`, then
 * one last line `:N`, where N is a bitmask of `Directive` (1 no space after the value, 2 complete
 * local file names instead, 4 candidates contain the word rather than start with it). Nothing is
 * ever written to stderr, and the exit status is 0.
 */
import type { Completion } from './engine.js'

const clean = (s: string) => s.replace(/[\t\r\n]+/g, ' ')

export function formatCompletion(c: Completion): string {
  const lines: string[] = []
  for (const cand of c.candidates) {
    if (cand.value.includes('\n') || cand.value.includes('\r')) continue
    const value = cand.value.includes('\t') ? cand.value.replaceAll('\t', ' ') : cand.value
    lines.push(cand.description ? `${value}\t${clean(cand.description)}` : value)
  }
  if (c.block) lines.push(c.block)
  lines.push(`:${c.directive}\n`)
  return lines.join('\n')
}
