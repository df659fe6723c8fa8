/**
 * The completion engine: from the words typed after `mesos` (the last one being the word under the
 * cursor, possibly empty) to candidates. It knows the grammar (commands, topics, flags, positional
 * arguments) from the manifest and asks its sources for the values that live elsewhere (profiles,
 * tasks, agents, sandbox entries), so it can be tested over a fixed index without any I/O.
 */
import { STRICT_MODES } from '../config/keys.js'
import type { ArgSpec, CommandSpec, FlagSpec } from './commands.js'
import type { IdList } from './ids.js'

export interface Candidate {
  value: string
  description?: string
}

/** Bits of the directive line that ends the `__complete` output (see protocol.ts). */
export const Directive = {
  none: 0,
  /** Do not add a space after the candidate (a `--flag=` or a directory). */
  noSpace: 1,
  /** No candidates of our own: let the shell complete local file names. */
  files: 2,
  /** Candidates contain the word rather than start with it (lazy task matching): do not filter. */
  noFilter: 4,
} as const

export interface Completion {
  candidates: Candidate[]
  /** More candidates, without descriptions, as newline-separated text (task IDs of big clusters). */
  block?: string
  directive: number
}

/** Every candidate value, block included. */
export function valuesOf(c: Completion): string[] {
  const values = c.candidates.map((x) => x.value)
  return c.block ? [...values, ...c.block.split('\n')] : values
}

export interface AgentName {
  id: string
  hostname: string
}

export interface SandboxEntry {
  name: string
  dir: boolean
}

/** Where values come from. Each may answer `undefined` (unknown: cluster unreachable, no cache). */
export interface Sources {
  commands: CommandSpec[]
  /** `mesos-NAME` executables on PATH. */
  plugins(): Candidate[]
  profiles(): string[]
  /** Enumerated values of a config key (`scheme`, `log_level`, booleans...), and every key. */
  configKeys(): Candidate[]
  configValues(key: string): string[]
  tasks(inactive: boolean): Promise<IdList | undefined>
  agents(): Promise<AgentName[] | undefined>
  /** Entries of directory `dir` (relative, '' or ending in '/') in the sandboxes of the matching tasks. */
  sandbox(taskFilter: string, inactive: boolean, dir: string): Promise<SandboxEntry[] | undefined>
}

const TOP_FLAGS: FlagSpec[] = [
  { name: 'help', takesValue: false, description: 'show help' },
  { name: 'version', takesValue: false, description: 'show the version' },
]
const HELP_FLAG: FlagSpec = { name: 'help', takesValue: false, description: 'show help for this command' }

/** What the words before the cursor say. */
export interface Parsed {
  command?: CommandSpec
  /** Words naming a command or topic so far (`['sim']` while choosing among `sim up`, `sim ctl`). */
  path: string[]
  /** `help WORDS...`: the words complete as a command path. */
  help: boolean
  /** Flags given with their values (`true` for booleans), by long name. */
  flags: Map<string, string | true>
  positionals: string[]
  /** The option flag waiting for its value in the current word. */
  pendingFlag?: FlagSpec
  afterDoubleDash: boolean
  current: string
}

function globalFlags(commands: CommandSpec[]): FlagSpec[] {
  const seen = new Map<string, FlagSpec>()
  for (const c of commands) for (const f of c.flags) if (f.global && !seen.has(f.name)) seen.set(f.name, f)
  return [...seen.values()]
}

function findCommand(commands: CommandSpec[], path: string[]): CommandSpec | undefined {
  const id = path.join(' ')
  return (
    commands.find((c) => c.words.join(' ') === id) ?? commands.find((c) => c.aliases.some((a) => a.join(' ') === id))
  )
}

function isTopic(commands: CommandSpec[], path: string[]): boolean {
  return commands.some((c) => c.words.length > path.length && path.every((w, i) => c.words[i] === w))
}

/** Reads the words before the cursor the way oclif will: leading global flags, command words, then flags and arguments. */
export function parseWords(commands: CommandSpec[], words: string[]): Parsed {
  const before = words.slice(0, -1)
  const p: Parsed = {
    path: [],
    help: false,
    flags: new Map(),
    positionals: [],
    afterDoubleDash: false,
    current: words.at(-1) ?? '',
  }
  const globals = globalFlags(commands)
  let flagSet: FlagSpec[] = globals
  let i = 0
  const takeFlag = (w: string): boolean => {
    if (p.afterDoubleDash || !w.startsWith('-') || w === '-') return false
    if (w === '--') {
      p.afterDoubleDash = true
      return true
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=')
      const name = w.slice(2, eq < 0 ? undefined : eq)
      const flag = flagSet.find((f) => f.name === name || (f.allowNo && `no-${f.name}` === name))
      if (!flag) return true
      if (!flag.takesValue) p.flags.set(flag.name, true)
      else if (eq >= 0) p.flags.set(flag.name, w.slice(eq + 1))
      else if (i + 1 < before.length) p.flags.set(flag.name, before[++i]!)
      else p.pendingFlag = flag
      return true
    }
    // -abc: booleans, the last may take a value (attached or the next word)
    for (let k = 1; k < w.length; k++) {
      const flag = flagSet.find((f) => f.char === w[k])
      if (!flag) break
      if (!flag.takesValue) {
        p.flags.set(flag.name, true)
        continue
      }
      const rest = w.slice(k + 1)
      if (rest !== '') p.flags.set(flag.name, rest)
      else if (i + 1 < before.length) p.flags.set(flag.name, before[++i]!)
      else p.pendingFlag = flag
      break
    }
    return true
  }
  for (; i < before.length; i++) {
    const w = before[i]!
    if (!p.command && !p.help) {
      if (takeFlag(w)) continue
      if (p.path.length === 0 && w === 'help') {
        p.help = true
        continue
      }
      p.path.push(w)
      const c = findCommand(commands, p.path)
      // a command that is also a topic (`x` and `x y`) stays a topic while the next word names a subcommand
      const next = before[i + 1]
      if (c && !(next !== undefined && findCommand(commands, [...p.path, next]))) {
        p.command = c
        flagSet = c.flags
      }
      continue
    }
    if (p.help) {
      p.path.push(w)
      continue
    }
    if (takeFlag(w)) continue
    p.positionals.push(w)
  }
  return p
}

const withPrefix = (prefix: string, values: Iterable<Candidate>): Candidate[] =>
  [...values].filter((c) => c.value.startsWith(prefix))

const plain = (values: Iterable<string>): Candidate[] => [...values].map((value) => ({ value }))

function commandCandidates(src: Sources, path: string[], prefix: string): Candidate[] {
  const seen = new Map<string, Candidate>()
  const add = (words: string[], summary: string) => {
    if (words.length <= path.length || !path.every((w, i) => words[i] === w)) return
    const word = words[path.length]!
    const leaf = words.length === path.length + 1
    const prev = seen.get(word)
    if (leaf) seen.set(word, { value: word, description: summary })
    else if (!prev) seen.set(word, { value: word, description: `${[...path, word].join(' ')} commands` })
  }
  for (const c of src.commands) {
    add(c.words, c.summary)
    for (const a of c.aliases) add(a, c.summary)
  }
  if (path.length === 0) {
    if (!seen.has('help')) seen.set('help', { value: 'help', description: 'show help for a command' })
    for (const p of src.plugins()) if (!seen.has(p.value)) seen.set(p.value, p)
  }
  return withPrefix(prefix, [...seen.values()].sort((a, b) => (a.value < b.value ? -1 : 1)))
}

function flagCandidates(flags: FlagSpec[], current: string, given: Map<string, string | true>): Candidate[] {
  const out: Candidate[] = []
  for (const f of flags) {
    const d = f.description ? { description: f.description } : {}
    if (given.has(f.name) && !f.multiple) continue
    out.push({ value: `--${f.name}`, ...d })
    if (f.allowNo) out.push({ value: `--no-${f.name}`, ...d })
    if (f.char && current === '-') out.push({ value: `-${f.char}`, ...d })
  }
  return withPrefix(current, out)
}

const DONE: Completion = { candidates: [], directive: Directive.none }
const FILES: Completion = { candidates: [], directive: Directive.files }

async function flagValues(src: Sources, flag: FlagSpec, prefix: string): Promise<Completion> {
  if (flag.options) return { candidates: withPrefix(prefix, plain(flag.options)), directive: 0 }
  switch (flag.completes) {
    case 'profile':
      return { candidates: withPrefix(prefix, plain(src.profiles())), directive: 0 }
    case 'ssh-strict':
      return { candidates: withPrefix(prefix, plain(STRICT_MODES)), directive: 0 }
    case 'agent':
      return agentCandidates(src, prefix)
    case 'local-file':
      return FILES
    default:
      return DONE
  }
}

async function agentCandidates(src: Sources, prefix: string): Promise<Completion> {
  const agents = (await src.agents()) ?? []
  const out: Candidate[] = []
  for (const a of agents) {
    out.push({ value: a.id, description: a.hostname })
    out.push({ value: a.hostname, description: a.id })
  }
  const unique = new Map(out.map((c) => [c.value, c]))
  const byPrefix = withPrefix(prefix, unique.values())
  if (byPrefix.length > 0 || prefix === '') return { candidates: sortByValue(byPrefix), directive: 0 }
  // agents match by fragment too (spec: "a substring of an agent ID or hostname")
  const frag = [...unique.values()].filter((c) => c.value.includes(prefix))
  return { candidates: sortByValue(frag), directive: frag.length > 0 ? Directive.noFilter : 0 }
}

const sortByValue = (cs: Candidate[]) => cs.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))

async function taskCandidates(src: Sources, prefix: string, inactive: boolean): Promise<Completion> {
  const ids = await src.tasks(inactive)
  if (!ids) return DONE
  const answer = ids.prefixAnswer(prefix)
  // groups are prefixes of IDs: no space after the one a shell may insert
  if (answer.text !== '' || prefix === '')
    return { candidates: [], block: answer.text, directive: answer.grouped ? Directive.noSpace : 0 }
  // lazy matching: a fragment or a glob completes to the IDs it would select
  const matching = ids.matching(prefix)
  return { candidates: plain(matching), directive: matching.length > 0 ? Directive.noFilter : 0 }
}

async function sandboxCandidates(src: Sources, task: string, prefix: string, inactive: boolean): Promise<Completion> {
  const slash = prefix.lastIndexOf('/')
  const dir = slash < 0 ? '' : prefix.slice(0, slash + 1)
  const entries = await src.sandbox(task, inactive, dir)
  if (!entries) return DONE
  const values = new Map<string, Candidate>()
  for (const e of entries) {
    const value = `${dir}${e.name}${e.dir ? '/' : ''}`
    values.set(value, { value })
  }
  const candidates = sortByValue(withPrefix(prefix, values.values()))
  const onlyDir = candidates.length === 1 && candidates[0]!.value.endsWith('/')
  return { candidates, directive: onlyDir ? Directive.noSpace : 0 }
}

/** Values of a positional argument, by the kind its command declares. */
async function argValues(src: Sources, p: Parsed, cmd: CommandSpec, arg: ArgSpec, index: number): Promise<Completion> {
  const prefix = p.current
  const inactive = p.flags.has('inactive')
  if (arg.options) return { candidates: withPrefix(prefix, plain(arg.options)), directive: 0 }
  switch (arg.completes) {
    case 'config-key':
      return { candidates: withPrefix(prefix, src.configKeys()), directive: 0 }
    case 'config-value': {
      // the value of the key given just before it (`profile` takes a profile name)
      const key = p.positionals[index - 1] ?? ''
      const values = key === 'profile' ? src.profiles() : src.configValues(key)
      return { candidates: withPrefix(prefix, plain(values)), directive: 0 }
    }
    case 'profile':
      return { candidates: withPrefix(prefix, plain(src.profiles())), directive: 0 }
    case 'task':
    case 'running-task':
      return taskCandidates(src, prefix, inactive && arg.completes === 'task')
    case 'agent':
      return agentCandidates(src, prefix)
    case 'local-file':
      return FILES
    case 'sandbox-path': {
      const taskAt = cmd.args.findIndex((a) => a.completes === 'task' || a.completes === 'running-task')
      const task = taskAt < 0 || taskAt >= index ? undefined : p.positionals[taskAt]
      return task === undefined ? DONE : sandboxCandidates(src, task, prefix, inactive)
    }
    default:
      return DONE
  }
}

export async function complete(src: Sources, words: string[]): Promise<Completion> {
  const p = parseWords(src.commands, words.length === 0 ? [''] : words)
  const cur = p.current
  if (p.pendingFlag) return flagValues(src, p.pendingFlag, cur)

  const flagsHere = p.command ? [...p.command.flags, HELP_FLAG] : [...globalFlags(src.commands), ...TOP_FLAGS]
  if (cur.startsWith('-') && !p.afterDoubleDash && !p.help) {
    const eq = cur.indexOf('=')
    if (cur.startsWith('--') && eq > 0) {
      const flag = flagsHere.find((f) => f.name === cur.slice(2, eq) && f.takesValue)
      if (!flag) return DONE
      const head = cur.slice(0, eq + 1)
      const values = await flagValues(src, flag, cur.slice(eq + 1))
      return { ...values, candidates: values.candidates.map((c) => ({ ...c, value: head + c.value })) }
    }
    return { candidates: flagCandidates(flagsHere, cur, p.flags), directive: Directive.none }
  }
  if (p.help || !p.command) {
    if (p.path.length > 0 && !isTopic(src.commands, p.path)) return p.help ? DONE : FILES // a plugin's own arguments
    return { candidates: commandCandidates(src, p.path, cur), directive: 0 }
  }
  // an argument a flag gives takes no word: the words after it move one place left (grep -e PATTERN TASK)
  const cmd = { ...p.command, args: p.command.args.filter((a) => !(a.givenByFlag && p.flags.has(a.givenByFlag))) }
  // after `--` come a remote command's words (ssh TASK -- CMD...): nothing of ours
  if (p.afterDoubleDash) return DONE
  const index = p.positionals.length
  // a variadic argument takes every word from its place on (cat TASK FILE..., scp FILE... REMOTE_PATH)
  const variadicAt = cmd.args.findIndex((a) => a.variadic)
  const at = variadicAt >= 0 && index >= variadicAt ? variadicAt : index
  const arg = cmd.args[at]
  if (!arg) return DONE
  return argValues(src, p, cmd, arg, index)
}
