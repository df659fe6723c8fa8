/**
 * Finding, reading and writing `.mesos.json`. Reading is one read of each candidate path, parsed
 * as JSON, or as JSONC (comments and trailing commas) when plain JSON fails. Writing edits the
 * text with jsonc-parser so comments survive, then replaces the file atomically with mode 0600.
 */
import { randomBytes } from 'node:crypto'
import { realpathSync, statSync } from 'node:fs'
import { chmod, open, readFile, rename, rm } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createRequire } from 'node:module'
import type { ParseError } from 'jsonc-parser'
import { failure, setupError } from '../errors.js'
import { fsReason } from './fs-errors.js'
import { editFast } from './jsonc-edit.js'

export const FILE_NAME = '.mesos.json'

type Jsonc = typeof import('jsonc-parser')
let jsoncModule: Jsonc | undefined
/** jsonc-parser is loaded only when a config file is read or written (it is most of config's load cost). */
function jsonc(): Jsonc {
  jsoncModule ??= createRequire(import.meta.url)('jsonc-parser') as Jsonc
  return jsoncModule
}

export interface Locations {
  env: NodeJS.ProcessEnv
  cwd: string
  home?: string
}

/** The search order of spec section 2; with MESOS_CLI_CONFIG set, only that file. */
export function candidatePaths(loc: Locations): string[] {
  const explicit = loc.env.MESOS_CLI_CONFIG
  if (explicit !== undefined && explicit !== '') return [resolve(loc.cwd, explicit)]
  const home = loc.home ?? homedir()
  return [
    join(loc.cwd, FILE_NAME),
    join(home, FILE_NAME),
    join('/etc', FILE_NAME),
    join('/usr/etc', FILE_NAME),
    join('/usr/local/etc', FILE_NAME),
  ]
}

/** Where `mesos config KEY VALUE` writes when no file exists yet. */
export function defaultWritePath(loc: Locations): string {
  const explicit = loc.env.MESOS_CLI_CONFIG
  if (explicit !== undefined && explicit !== '') return resolve(loc.cwd, explicit)
  return join(loc.home ?? homedir(), FILE_NAME)
}

/** A file we may not read still counts as found: its error must be shown, not skipped. */
export function findConfigFile(loc: Locations): string | undefined {
  return candidatePaths(loc).find((p) => {
    try {
      statSync(p)
      return true
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      return code === 'EACCES' || code === 'EPERM'
    }
  })
}

export type RawConfig = Record<string, unknown>

function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let last = -1
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      last = i
    }
  }
  return { line, column: offset - last }
}

/** Parses JSONC text; a syntax error names the file, line and column (exit 2). */
export function parseConfigText(path: string, text: string): RawConfig {
  if (text.trim() === '') return {}
  // Most files are plain JSON: the native parser is several times faster on a big one.
  let plain: unknown
  try {
    plain = JSON.parse(text)
  } catch {
    plain = undefined
  }
  if (plain !== null && typeof plain === 'object' && !Array.isArray(plain)) return plain as RawConfig
  const errors: ParseError[] = []
  const value = jsonc().parse(text, errors, { allowTrailingComma: true, disallowComments: false })
  const first = errors[0]
  if (first) {
    const { line, column } = lineCol(text, first.offset)
    throw setupError(`malformed config file ${path}:${line}:${column}: ${describeParseError(first)}`, [
      'the file was left untouched; fix it or point MESOS_CLI_CONFIG at another file',
    ])
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw setupError(`malformed config file ${path}:1:1: expected a JSON object at the top level`)
  }
  return value as RawConfig
}

function describeParseError(e: ParseError): string {
  const words = jsonc().printParseErrorCode(e.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
  return words
}

export async function readConfigFile(path: string): Promise<RawConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw setupError(`cannot read ${path}: ${fsReason(err)}`)
  }
  // An editor's byte order mark is not part of the JSON.
  return parseConfigText(path, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
}

/**
 * Sets (or, with `undefined`, removes) the value at `path` inside the JSONC text of a config file,
 * keeping everything else, comments included.
 */
export function editConfigText(text: string, path: (string | number)[], value: unknown): string {
  const base = text.trim() === '' ? '{}\n' : text
  const { applyEdits, modify } = jsonc()
  const indent = /\n([ \t]+)"/.exec(base)?.[1]
  // Formatting re-formats whole lines: on a minified file (one long line) the change goes in as is.
  const format =
    longestLine(base) > FORMAT_LINE_MAX
      ? undefined
      : {
          insertSpaces: !indent?.startsWith('\t'),
          tabSize: indent && !indent.startsWith('\t') ? indent.length : 2,
          eol: base.includes('\r\n') ? '\r\n' : '\n',
        }
  const fast = editFast(jsonc(), base, path, value, format)
  if (fast !== undefined) return finish(fast)
  return finish(applyEdits(base, modify(base, path, value, format ? { formattingOptions: format } : {})))
}

const FORMAT_LINE_MAX = 4096

function finish(out: string): string {
  return out.endsWith('\n') ? out : `${out}\n`
}

function longestLine(text: string): number {
  let longest = 0
  for (let start = 0; start <= text.length; ) {
    const end = text.indexOf('\n', start)
    const stop = end < 0 ? text.length : end
    longest = Math.max(longest, stop - start)
    start = stop + 1
  }
  return longest
}

/**
 * Replaces `path` with `text` atomically: a temporary file in the same directory, written with mode
 * 0600 and synced, then renamed over the target. A symlinked config is replaced at its target.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  try {
    await replaceFile(path, text)
  } catch (err) {
    throw failure(`cannot save ${path}: ${fsReason(err)}`)
  }
}

async function replaceFile(path: string, text: string): Promise<void> {
  let target = path
  try {
    target = realpathSync(path)
  } catch {
    // a new file: write it where it was asked for
  }
  const tmp = join(dirname(target), `.${FILE_NAME.replace(/^\./, '')}.${randomBytes(6).toString('hex')}.tmp`)
  const fh = await open(tmp, 'wx', 0o600)
  try {
    await fh.writeFile(text, 'utf8')
    await fh.sync()
  } catch (err) {
    await fh.close()
    await rm(tmp, { force: true })
    throw err
  }
  await fh.close()
  try {
    await chmod(tmp, 0o600)
    await rename(tmp, target)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}
