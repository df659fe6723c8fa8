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
  let out = ''
  for (const cand of c.candidates) {
    if (/[\r\n]/.test(cand.value)) continue
    out += cand.value.replace(/\t/g, ' ')
    if (cand.description) out += `\t${clean(cand.description)}`
    out += '\n'
  }
  return `${out}:${c.directive}\n`
}
