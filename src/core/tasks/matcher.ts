/**
 * Lazy task matching (spec section 4), a pure function of the index and the filter:
 * an exact ID wins; otherwise every task whose ID contains the filter or matches it as a shell glob;
 * only active tasks unless `inactive`; an empty filter matches every task in scope.
 */
import { noMatchError } from '../errors.js'
import { isTerminal, type TaskView } from './model.js'

const GLOB_CHARS = /[*?[]/

/** fnmatch-style glob over the whole ID: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`; '/' is not special. */
export function globToRegExp(glob: string): RegExp {
  let re = '^'
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*') re += '.*'
    else if (c === '?') re += '.'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2)
      if (end < 0) {
        re += '\\['
        continue
      }
      let body = glob.slice(i + 1, end)
      const negate = body.startsWith('!') || body.startsWith('^')
      if (negate) body = body.slice(1)
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`
      i = end
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  return new RegExp(`${re}$`, 's')
}

export function isGlob(filter: string): boolean {
  return GLOB_CHARS.test(filter)
}

/**
 * The bytes (UTF-8) that every ID `matcherFor(filter)` accepts contains, where there are such:
 * a plain fragment's own, unless it holds U+FFFD or half a surrogate pair (what bytes that are not
 * UTF-8 decode to, which no byte comparison finds). None for a glob.
 */
export function literalOf(filter: string): Uint8Array | undefined {
  if (filter === '' || isGlob(filter) || filter.includes('\uFFFD')) return undefined
  const bytes = Buffer.from(filter)
  // half a surrogate pair becomes U+FFFD on the way to bytes
  return bytes.toString('utf8') === filter ? bytes : undefined
}

export function matcherFor(filter: string): (id: string) => boolean {
  if (filter === '') return () => true
  const glob = isGlob(filter) ? globToRegExp(filter) : undefined
  return (id) => id.includes(filter) || (glob !== undefined && glob.test(id))
}

export interface MatchResult {
  matches: TaskView[]
  /** Completed tasks that would match with --inactive (for the hint); 0 when inactive was given. */
  completedMatches: number
}

export function matchTasks(tasks: readonly TaskView[], filter: string, inactive: boolean): MatchResult {
  const inScope = (t: TaskView) => inactive || !isTerminal(t.state)
  const exact = tasks.filter((t) => t.id === filter)
  if (exact.length > 0 && exact.some(inScope)) return { matches: exact.filter(inScope), completedMatches: 0 }
  const test = matcherFor(filter)
  const matches: TaskView[] = []
  let completedMatches = 0
  for (const t of tasks) {
    if (!test(t.id)) continue
    if (inScope(t)) matches.push(t)
    else completedMatches++
  }
  matches.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { matches, completedMatches }
}

/** The no-match error of spec section 4, with the completed-task hint when it applies. */
export function noTaskMatches(filter: string, completedMatches: number) {
  return noMatchError(
    filter === '' ? 'no active tasks' : `no task matches "${filter}"`,
    completedMatches > 0 ? [`${completedMatches} completed task(s) match; add --inactive`] : [],
  )
}

/** Exactly one task, or exit 3: no match, or the sorted candidate IDs one per line. */
export function requireOne(result: MatchResult, filter: string): TaskView {
  if (result.matches.length === 0) throw noTaskMatches(filter, result.completedMatches)
  if (result.matches.length > 1) {
    throw noMatchError(
      `${result.matches.length} tasks match "${filter}"; this command needs exactly one`,
      ['give the full task ID or a longer fragment'],
      [...new Set(result.matches.map((t) => t.id))].sort(),
    )
  }
  return result.matches[0]!
}
