/**
 * Every JSON answer the CLI reads whole is checked here, at the boundary, against the shape the
 * code relies on: a master answering `{"slaves": 5}`, `[]`, `null` or nothing at all becomes one
 * line naming who answered and for which endpoint (exit 4 for a master, 1 for an agent), never a
 * TypeError further in. Shapes list only what the CLI reads; anything else may be there or not.
 * (The streamed `/master/state` parser checks its own pieces and throws `wrongAnswer` too.)
 */
import { failure, type MesosError, masterError } from '../errors.js'
import { type Endpoint, hostPort } from './endpoint.js'

/** Where in the value (`slaves[3].id`, '' for the value itself) and what is wrong; nothing when it fits. */
type Problem = { at: string; why: string }
type Check = (v: unknown) => Problem | undefined

function kind(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`
}

const is =
  (type: 'string' | 'number' | 'boolean', words: string): Check =>
  (v) =>
    typeof v === type ? undefined : { at: '', why: `${kind(v)}, not ${words}` }
const string = is('string', 'a string')
const number = is('number', 'a number')
const boolean = is('boolean', 'true or false')
const any: Check = () => undefined

function list(item: Check): Check {
  return (v) => {
    if (!Array.isArray(v)) return { at: '', why: `${kind(v)}, not a list` }
    for (let i = 0; i < v.length; i++) {
      const p = item(v[i])
      if (p) return { at: `[${i}]${p.at && !p.at.startsWith('[') ? '.' : ''}${p.at}`, why: p.why }
    }
    return undefined
  }
}

/** An object; `required` fields must be there, the others are checked when present (null counts as absent). */
function object(fields: Record<string, Check>, required: string[] = []): Check {
  return (v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return { at: '', why: `${kind(v)}, not an object` }
    const o = v as Record<string, unknown>
    for (const [name, check] of Object.entries(fields)) {
      const value = o[name]
      if (value === undefined || value === null) {
        if (required.includes(name)) return { at: name, why: 'missing' }
        continue
      }
      const p = check(value)
      if (p) return { at: `${name}${p.at && !p.at.startsWith('[') ? '.' : ''}${p.at}`, why: p.why }
    }
    return undefined
  }
}

const resources = object({ cpus: number, mem: number, disk: number, gpus: number })
const summaryEntry = object(
  { id: string, name: string, hostname: string, active: boolean, version: string, resources, used_resources: resources },
  ['id'],
)
const agent = object(
  { id: string, hostname: string, pid: string, port: number, active: boolean, version: string },
  ['id'],
)
const framework = object({ id: string, name: string, hostname: string, user: string, active: boolean }, ['id'])
const task = object({ id: string, state: string, framework_id: string, slave_id: string }, ['id'])
const frameworks = { frameworks: list(framework), completed_frameworks: list(framework) }

/** The shapes of the endpoints whose answers the CLI reads whole, by path (without `.json`). */
const SHAPES: [RegExp, Check][] = [
  [/^\/master\/state-summary$/, object({ slaves: list(summaryEntry), frameworks: list(summaryEntry) })],
  [/^\/master\/frameworks$/, object(frameworks)],
  [/^\/master\/slaves$/, object({ slaves: list(agent) })],
  [/^\/master\/tasks$/, object({ tasks: list(task) })],
  // `mesos state` passes the document on as sent; it reads only who leads (pre-1.0 followers)
  [/^\/master\/state$/, object({ pid: string, leader: string })],
  [
    /(^|\/)monitor\/statistics$/,
    list(object({ framework_id: string, executor_id: string, executor_name: string, statistics: object({}) }, ['framework_id', 'executor_id', 'statistics'])),
  ],
  [/^\/version$/, object({ version: string })],
  [/^\/files\/browse$/, list(object({ path: string, size: number, mode: string, mtime: number }, ['path']))],
  [/^\/files\/read$/, object({ offset: number, data: string }, ['offset', 'data'])],
  [/^\/[^/]+\/state$|^\/state$/, object({ id: string, hostname: string, ...frameworks, executors: any })],
]

function shapeFor(path: string): Check | undefined {
  const pathname = path.split('?')[0]!.replace(/\.json$/, '')
  return SHAPES.find(([re]) => re.test(pathname))?.[1]
}

/** One `mesos:` line for a wrong answer: exit 4 when a master sent it, 1 when an agent did. */
export function wrongAnswer(e: Endpoint, path: string, what: string, detail?: string): MesosError {
  const make = e.role === 'master' ? masterError : failure
  return make(`${e.role} ${hostPort(e)} sent ${what} for ${path.split('?')[0]}${detail ? `: ${detail}` : ''}`)
}

/** Checks a parsed answer against the shape of its endpoint. */
export function checkAnswer<T>(e: Endpoint, path: string, value: unknown): T {
  const p = shapeFor(path)?.(value)
  if (p) throw wrongAnswer(e, path, 'an unexpected answer', `${p.at === '' ? 'the answer' : p.at} is ${p.why}`)
  return value as T
}

/**
 * Parses and checks a JSON answer. With `latin1`, the body is decoded byte-per-character so raw
 * bytes that Mesos puts in JSON strings unvalidated (/files/read) come back exactly.
 */
export function parseAnswer<T>(e: Endpoint, path: string, buf: Buffer, latin1 = false): T {
  return parseAnswerText<T>(e, path, buf.toString(latin1 ? 'latin1' : 'utf8'))
}

/** `parseAnswer` of a body already decoded. */
export function parseAnswerText<T>(e: Endpoint, path: string, text: string): T {
  if (text.trim() === '') throw wrongAnswer(e, path, 'an empty answer')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // Pre-1.0 endpoints answer JSONP when asked with ?jsonp=
    const jsonp = /^\s*[\w$.]+\(([\s\S]*)\);?\s*$/.exec(text)
    try {
      if (!jsonp) throw new Error('not JSON')
      value = JSON.parse(jsonp[1]!)
    } catch {
      throw wrongAnswer(e, path, 'an answer that is not JSON', `${JSON.stringify(text.slice(0, 60))}${text.length > 60 ? '…' : ''}`)
    }
  }
  return checkAnswer<T>(e, path, value)
}
