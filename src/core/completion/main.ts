/**
 * `mesos __complete WORDS...` (protocol.ts), over the command tree the CLI hands in, so a TAB costs
 * Node's start-up plus reading the config and one cache entry. A hard deadline bounds everything else: when it passes, whatever is known is printed
 * (commands and flags need no cluster) and the process exits.
 */
import { homedir } from 'node:os'
import type { CommandSpec } from './commands.js'
import { readCompletionConfig } from './config.js'
import { type Completion, complete, parseWords } from './engine.js'
import { formatCompletion } from './protocol.js'
import { realSources } from './sources.js'

/** Milliseconds from process start after which a TAB answers with what it has. */
export const DEADLINE_MS = 1200

/**
 * The TAB deadline: `MESOS_CLI_TAB_DEADLINE_MS` (100 to 60000) for a cluster behind a slow link
 * (or a test on a busy machine), else DEADLINE_MS.
 */
export function tabDeadlineMs(env: NodeJS.ProcessEnv): number {
  const n = Number(env.MESOS_CLI_TAB_DEADLINE_MS)
  return Number.isInteger(n) && n >= 100 && n <= 60_000 ? n : DEADLINE_MS
}

export interface CompleteOptions {
  env?: NodeJS.ProcessEnv
  cwd?: string
  home?: string
  /** Time allowed, from now. */
  budgetMs?: number
}

export async function completeWords(commands: CommandSpec[], words: string[], opts: CompleteOptions = {}): Promise<string> {
  const env = opts.env ?? process.env
  const parsed = parseWords(commands, words.length === 0 ? [''] : words)
  const flag = (name: string) => {
    const v = parsed.flags.get(name)
    return typeof v === 'string' ? v : undefined
  }
  const flags = { profile: flag('profile'), master: flag('master') }
  const home = opts.home ?? env.HOME ?? homedir()
  const cwd = opts.cwd ?? process.cwd()
  const budget = Math.max(0, opts.budgetMs ?? tabDeadlineMs(env))
  // leave time to read an expired entry and print when a refresh is too slow
  const answerBy = performance.now() + Math.max(0, budget - 250)
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<Completion>((resolve) => {
    timer = setTimeout(() => resolve({ candidates: [], directive: 0 }), budget)
  })
  const work = (async () => {
    const config = await readCompletionConfig(env, cwd, home, flags)
    const sources = realSources({ commands, config, env, cwd, home, flags, answerBy })
    try {
      return await complete(sources, words)
    } finally {
      void sources.close().catch(() => {})
    }
  })().catch((): Completion => ({ candidates: [], directive: 0 }))
  try {
    return formatCompletion(await Promise.race([work, late]))
  } finally {
    clearTimeout(timer)
  }
}

/** The process entry point: prints the answer and exits, leaving no request or ZooKeeper session to wait for. */
export async function runComplete(commands: CommandSpec[], words: string[]): Promise<never> {
  let text = ':0\n'
  try {
    text = await completeWords(commands, words, { budgetMs: tabDeadlineMs(process.env) - performance.now() })
  } catch {
    // never an error in the prompt
  }
  process.stdout.on('error', () => process.exit(0))
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()))
  process.exit(0)
}
