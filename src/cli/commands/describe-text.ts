/**
 * The human view of `mesos describe`: one block per task, `Key: value` lines, the latest failure
 * right under the state, and the status history as a table. Cluster text is made inert by the
 * render seam afterwards; table cells are escaped here so a newline cannot break the columns.
 */
import type { StatusStory, TaskStory } from '../../core/cluster/describe.js'
import { safe } from '../../core/output/terminal.js'
import { amount, humanBytes, renderTable } from '../render/table.js'

const strip = (s: string | null, prefix: string) => (s === null ? '-' : s.startsWith(prefix) ? s.slice(prefix.length) : s)

/** `2026-11-30T12:00:00.123Z` → `2026-11-30 12:00:00Z` */
const when = (iso: string | null) => (iso === null ? '-' : iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))

function failureLine(f: StatusStory): string {
  const why = [f.reason, f.source && strip(f.source, 'SOURCE_').toLowerCase()].filter(Boolean).join(', ')
  return `${strip(f.state, 'TASK_')} at ${when(f.timestamp)}: ${f.message ?? '(no message)'}${why ? ` (${why})` : ''}`
}

function resourcesLine(r: TaskStory['resources']): string {
  const parts: string[] = []
  if (r.cpus !== null) parts.push(`cpus ${amount(r.cpus)}`)
  if (r.mem_bytes !== null) parts.push(`mem ${humanBytes(r.mem_bytes)}`)
  if (r.disk_bytes !== null) parts.push(`disk ${humanBytes(r.disk_bytes)}`)
  if (r.gpus) parts.push(`gpus ${amount(r.gpus)}`)
  if (r.ports.length) parts.push(`ports ${r.ports.map((p) => (p.begin === p.end ? `${p.begin}` : `${p.begin}-${p.end}`)).join(',')}`)
  return parts.join('  ') || '-'
}

function discoveryLine(d: TaskStory['discovery']): string {
  if (!d) return '-'
  const ports = d.ports.map((p) => `${p.name ? `${p.name}=` : ''}${p.number}${p.protocol ? `/${p.protocol}` : ''}`)
  return [d.name ?? '(no name)', d.visibility ? `(${d.visibility})` : '', ports.length ? `ports ${ports.join(' ')}` : '']
    .filter(Boolean)
    .join(' ')
}

function healthLine(t: TaskStory): string {
  const h = t.health_check
  if (!h) return '-'
  const type = typeof h.type === 'string' ? h.type : 'COMMAND'
  const o = (v: unknown) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {})
  const target =
    type === 'HTTP'
      ? `${o(h.http).scheme ?? 'http'} port ${o(h.http).port ?? '?'} ${o(h.http).path ?? '/'}`
      : type === 'TCP'
        ? `port ${o(h.tcp).port ?? '?'}`
        : `${o(h.command).value ?? ''}`
  const timing = [
    ['every', h.interval_seconds],
    ['timeout', h.timeout_seconds],
    ['grace', h.grace_period_seconds],
  ]
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k} ${v}s`)
  const state = t.healthy === null ? '' : t.healthy ? '; healthy' : '; UNHEALTHY'
  return `${type} ${target}${timing.length ? ` (${timing.join(', ')})` : ''}${state}`
}

const withId = (name: string | null, id: string) => (name ? `${name} (${id})` : id)

export function describeText(t: TaskStory): string {
  const rows: Array<[string, string]> = [
    ['ID', t.id],
    ['Name', t.name || '-'],
    ['State', t.state],
  ]
  if (t.failure) rows.push(['Last failure', failureLine(t.failure)])
  rows.push(
    ['Framework', withId(t.framework_name, t.framework_id)],
    ['Agent', withId(t.hostname, t.agent_id)],
    ['Executor', `${t.executor_id}${t.command_executor ? ' (command executor)' : ''}`],
    ['Container', t.container_id === null ? '-' : `${t.container_id}${t.container_type ? ` (${t.container_type}${t.tty ? ', TTY' : ''})` : ''}`],
    ['User', t.user ?? '-'],
    ['Sandbox', t.sandbox ?? '- (gone, or agent unknown)'],
    ['Sandbox path', t.sandbox_virtual ?? '-'],
    ['Resources', resourcesLine(t.resources)],
    ['Labels', t.labels.map((l) => `${l.key}=${l.value}`).join(', ') || '-'],
    ['Discovery', discoveryLine(t.discovery)],
    ['Health check', healthLine(t)],
  )
  const width = Math.max(...rows.map(([k]) => k.length)) + 2
  const head = rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${safe(v)}\n`).join('')
  const history =
    t.statuses.length === 0
      ? '  (no status updates yet)\n'
      : renderTable(
          [{ header: 'TIME' }, { header: 'STATE' }, { header: 'SOURCE' }, { header: 'REASON' }, { header: 'MESSAGE' }],
          t.statuses.map((s) => [when(s.timestamp), strip(s.state, 'TASK_'), strip(s.source, 'SOURCE_'), s.reason ?? '-', s.message ?? '-'].map(safe)),
          { headers: true },
        )
          .split('\n')
          .map((l) => (l ? `  ${l}` : l))
          .join('\n')
  return `${head}Statuses:\n${history}`
}
