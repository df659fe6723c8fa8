/** Flags and arguments shared by several commands: defined once, spread into each definition. */
import type { ArgDef, BooleanFlag, NumberFlag, StringFlag } from './types.js'

/** A timer can wait at most 2^31-1 ms; a day is far beyond any sensible request or poll. */
export const MAX_SECONDS = 86_400

/** Spec 1.3: the flags every cluster command accepts, also before the command name. */
export const GLOBAL_FLAGS = {
  master: {
    kind: 'string',
    description: 'master spec (host:port, URL, zk://, file://); env MESOS_MASTER',
    helpValue: '<spec>',
    group: 'GLOBAL',
  },
  profile: {
    kind: 'string',
    description: 'use this profile of .mesos.json; env MESOS_CLI_PROFILE',
    helpValue: '<name>',
    group: 'GLOBAL',
    completes: 'profile',
  },
  timeout: {
    kind: 'seconds',
    description: 'seconds per HTTP request (overrides response_timeout)',
    max: MAX_SECONDS,
    group: 'GLOBAL',
  },
  debug: { kind: 'boolean', description: 'log every request to stderr; stack traces on errors', group: 'GLOBAL' },
  'no-color': { kind: 'boolean', description: 'no colours (also NO_COLOR)', group: 'GLOBAL' },
} as const satisfies Record<string, StringFlag | NumberFlag | BooleanFlag>

export const HELP_FLAG: BooleanFlag = { kind: 'boolean', char: 'h', description: 'show help for this command' }

export const inactiveFlag = {
  inactive: { kind: 'boolean', char: 'i', description: 'include completed tasks (of running and completed frameworks)' },
} as const satisfies Record<string, BooleanFlag>

export const quietFlag = {
  quiet: { kind: 'boolean', char: 'q', description: 'no ==> TASK:FILE <== headers' },
} as const satisfies Record<string, BooleanFlag>

export const linesFlag = {
  lines: { kind: 'integer', char: 'n', description: 'number of lines', default: 10, min: 0 },
} as const satisfies Record<string, NumberFlag>

export const jsonFlag = {
  json: { kind: 'boolean', description: 'JSON output (docs/json.md)' },
} as const satisfies Record<string, BooleanFlag>

export const listingFlags = {
  json: { kind: 'boolean', description: 'JSON array of objects with stable snake_case keys (docs/json.md)' },
  'no-headers': { kind: 'boolean', description: 'no header row' },
  wide: { kind: 'boolean', description: 'never shorten a column to fit the terminal' },
} as const satisfies Record<string, BooleanFlag>

/** Long views go through a pager on a terminal (MESOS_PAGER, PAGER, else less -FRX). */
export const pagerFlag = {
  'no-pager': { kind: 'boolean', description: 'do not page the output on a terminal' },
} as const satisfies Record<string, BooleanFlag>

export const sleepFlag = (description: string, dflt: number) =>
  ({
    'sleep-interval': { kind: 'seconds', char: 's', description, default: dflt, max: MAX_SECONDS },
  }) as const satisfies Record<string, NumberFlag>

export const taskArg = {
  description: 'task ID, a fragment of it, or a shell glob (exact ID wins)',
  required: true,
  completes: 'task',
} as const satisfies ArgDef

export const filesArg = {
  description: 'files inside the sandbox (default stdout)',
  variadic: true,
  completes: 'sandbox-path',
  label: 'FILE',
} as const satisfies ArgDef
