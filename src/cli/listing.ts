/** Output of listing commands: a table (or JSON array) on stdout; an empty result says so on stderr. */
import { Flags } from '@oclif/core'
import type { Deps } from '../core/deps.js'
import { printJson } from '../core/output/json.js'
import { type Column, renderTable } from '../core/output/table.js'

export const listingFlags = {
  json: Flags.boolean({ description: 'JSON array of objects with stable snake_case keys' }),
  'no-headers': Flags.boolean({ description: 'no header row' }),
}

export async function printListing<T>(
  deps: Deps,
  flags: { json: boolean; 'no-headers': boolean },
  rows: T[],
  columns: Column[],
  cells: (row: T) => string[],
  emptyNote: string,
): Promise<void> {
  if (flags.json) {
    await printJson(deps.io, rows)
    if (rows.length === 0) deps.io.note(`mesos: ${emptyNote}`)
    return
  }
  if (rows.length === 0) {
    deps.io.note(`mesos: ${emptyNote}`)
    return
  }
  await deps.io.out(renderTable(columns, rows.map(cells), { headers: !flags['no-headers'], width: deps.io.columns() }))
}
