/** Request accounting: which recorded requests match a filter (the simulator keeps the records). */
import type { RequestRecord } from './http.js'
import type { RequestFilter } from './options.js'

export function matchingRequests(records: readonly RequestRecord[], filter: RequestFilter = {}): RequestRecord[] {
  const server = filter.agent ? `agent:${filter.agent}` : filter.server
  return records.filter((r) => {
    if (server) {
      if (
        server === 'masters'
          ? !r.server.startsWith('master:')
          : server === 'agents'
            ? !r.server.startsWith('agent:')
            : r.server !== server
      )
        return false
    }
    if (filter.method && r.method !== filter.method) return false
    if (filter.query !== undefined) {
      if (typeof filter.query === 'string' ? r.query !== filter.query : !filter.query.test(r.query)) return false
    }
    if (filter.path !== undefined) {
      if (typeof filter.path === 'string' ? r.path !== filter.path : !filter.path.test(r.path)) return false
    }
    return true
  })
}

/** Counts per agent ID. */
export function perAgent(records: readonly RequestRecord[]): Map<string, number> {
  const m = new Map<string, number>()
  for (const r of records) {
    const id = r.server.slice('agent:'.length)
    m.set(id, (m.get(id) ?? 0) + 1)
  }
  return m
}
