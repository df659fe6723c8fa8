/**
 * `mesos-completion`, for bash's `complete -C mesos-completion mesos` (the book's way): bash runs it
 * with COMP_LINE and COMP_POINT set and reads one candidate per line from stdout, inserting them as
 * they are, so this prints plain values that start with the word under the cursor, local file names
 * where a local file is wanted, and never anything on stderr.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { completeWords, tabDeadlineMs } from '../core/completion/main.js'
import { completionGrammar } from './complete.js'

/** The words of a command line up to the cursor, quotes and backslashes undone; the last is the one being completed. */
export function lineWords(line: string): string[] {
  const words: string[] = []
  let cur = ''
  let started = false
  let quote: '"' | "'" | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quote) {
      if (c === quote) quote = undefined
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i]
      else cur += c
    } else if (c === "'" || c === '"') {
      quote = c
      started = true
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i]
      started = true
    } else if (/\s/.test(c)) {
      if (started) words.push(cur)
      cur = ''
      started = false
    } else {
      cur += c
      started = true
    }
  }
  words.push(cur)
  return words
}

function localFiles(word: string, cwd: string): string[] {
  const slash = word.lastIndexOf('/')
  const dir = slash < 0 ? '' : word.slice(0, slash + 1)
  const base = slash < 0 ? word : word.slice(slash + 1)
  try {
    return readdirSync(join(cwd, dir || '.'), { withFileTypes: true })
      .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
      .map((e) => `${dir}${e.name}${e.isDirectory() ? '/' : ''}`)
      .sort()
  } catch {
    return []
  }
}

/**
 * The candidates for bash, one per line (empty when there are none). `bashWord` is the word as bash
 * splits it (its second argument): after `=` or `:` bash replaces only the part after them.
 */
export async function bashCandidates(env: NodeJS.ProcessEnv, cwd: string, bashWord?: string): Promise<string> {
  const line = env.COMP_LINE ?? ''
  const point = Number(env.COMP_POINT ?? line.length)
  const words = lineWords(line.slice(0, Number.isInteger(point) && point >= 0 ? point : line.length)).slice(1)
  const cur = words.at(-1) ?? ''
  const answer = await completeWords(completionGrammar(), words, { env, cwd, budgetMs: tabDeadlineMs(env) - performance.now() })
  const lines = answer.split('\n').filter((l) => l !== '')
  const directive = Number(lines.pop()?.slice(1) ?? 0)
  const drop = bashWord !== undefined && cur.endsWith(bashWord) ? cur.length - bashWord.length : 0
  const asBash = (values: string[]) => values.map((v) => v.slice(drop)).join('\n')
  if (directive & 2) return asBash(localFiles(cur, cwd))
  const eq = cur.startsWith('--') ? cur.indexOf('=') : -1
  const values = lines.map((l) => l.split('\t')[0]!).map((v) => (eq > 0 && !v.startsWith(cur.slice(0, eq + 1)) ? `${cur.slice(0, eq + 1)}${v}` : v))
  // bash inserts what it is given: keep only what extends the word (substring matches would replace it)
  return asBash(values.filter((v) => v.startsWith(cur)))
}

export async function runCompleteCommand(): Promise<never> {
  let text = ''
  try {
    // bash runs: mesos-completion COMMAND WORD PREVIOUS_WORD
    text = await bashCandidates(process.env, process.cwd(), process.argv[3])
  } catch {
    // never an error in the prompt
  }
  process.stdout.on('error', () => process.exit(0))
  await new Promise<void>((resolve) => process.stdout.write(text === '' ? '' : `${text}\n`, () => resolve()))
  process.exit(0)
}
