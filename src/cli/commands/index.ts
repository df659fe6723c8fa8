/** Every built-in command, one definition each. */
import type { AnyCommand } from '../grammar/types.js'
import agents from './agents.js'
import attach from './attach.js'
import cat from './cat.js'
import completion from './completion.js'
import config from './config.js'
import download from './download.js'
import describe from './describe.js'
import events from './events.js'
import exec from './exec.js'
import find from './find.js'
import frameworks from './frameworks.js'
import grep from './grep.js'
import head from './head.js'
import ls from './ls.js'
import ps from './ps.js'
import resolve from './resolve.js'
import scp from './scp.js'
import simCtl from './sim/ctl.js'
import simUp from './sim/up.js'
import ssh from './ssh.js'
import state from './state.js'
import tail from './tail.js'
import top from './top.js'

export const COMMANDS: readonly AnyCommand[] = [
  agents,
  attach,
  cat,
  completion,
  config,
  download,
  describe,
  events,
  exec,
  find,
  frameworks,
  grep,
  head,
  ls,
  ps,
  resolve,
  scp,
  simCtl,
  simUp,
  ssh,
  state,
  tail,
  top,
]

export interface Found {
  def: AnyCommand
  /** How many words named it. */
  words: number
}

/** The command named by the first words (the longest id or alias that matches). */
export function findCommand(words: readonly string[], commands: readonly AnyCommand[] = COMMANDS): Found | undefined {
  let best: Found | undefined
  for (const def of commands) {
    for (const name of [def.id, ...(def.aliases ?? [])]) {
      const parts = name.split(' ')
      if (parts.length <= words.length && parts.every((p, i) => words[i] === p) && (!best || parts.length > best.words))
        best = { def, words: parts.length }
    }
  }
  return best
}

/** Topics: first words shared by several commands (`sim`). */
export function isTopic(word: string, commands: readonly AnyCommand[] = COMMANDS): boolean {
  return commands.some((c) => c.id.includes(' ') && c.id.split(' ')[0] === word)
}
