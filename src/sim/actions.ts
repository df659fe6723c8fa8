/** The control endpoint's actions (`mesos sim ctl ACTION ...`) and the positional arguments of each. */

export const ACTIONS = [
  'status',
  'failover',
  'stop-agent',
  'start-agent',
  'slow-agent',
  'add-agent',
  'unreachable-agent',
  'reregister-agent',
  'remove-agent',
  'fail-endpoint',
  'clear-faults',
  'launch',
  'kill',
  'fail',
  'finish',
  'append',
  'truncate',
] as const

/** Positional arguments of each action, in order; numbers are sent as numbers. */
export const ACTION_ARGS: Partial<Record<(typeof ACTIONS)[number], readonly string[]>> = {
  'stop-agent': ['agent'],
  'start-agent': ['agent'],
  'slow-agent': ['agent', 'ms'],
  'remove-agent': ['agent'],
  'unreachable-agent': ['agent'],
  'reregister-agent': ['agent'],
  'fail-endpoint': ['path', 'status'],
  launch: ['id'],
  kill: ['task'],
  fail: ['task'],
  finish: ['task'],
  append: ['task', 'file', 'text'],
  truncate: ['task', 'file', 'size'],
}

export const NUMERIC_ARGS = new Set(['ms', 'status', 'size'])
