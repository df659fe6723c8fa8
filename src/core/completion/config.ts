/**
 * Just enough of the configuration for a TAB: the profile names, and the active profile's master,
 * scheme and cache_ttl (which name and age the cache entries). It follows the same search order and
 * precedence as `config/settings.ts` but reads plain JSON without loading the JSONC parser unless
 * the file has comments, and it never throws: a broken file completes as an empty one.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { KEYS } from '../config/keys.js'

export interface CompletionConfig {
  file?: string
  raw: Record<string, unknown>
  profileName: string
  master: string
  scheme: string
  cacheTtl: number
}

function candidatePaths(env: NodeJS.ProcessEnv, cwd: string, home: string): string[] {
  if (env.MESOS_CLI_CONFIG) return [resolve(cwd, env.MESOS_CLI_CONFIG)]
  return [cwd, home, '/etc', '/usr/etc', '/usr/local/etc'].map((d) => join(d, '.mesos.json'))
}

async function parse(text: string): Promise<Record<string, unknown>> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    const { parse: parseJsonc } = await import('jsonc-parser')
    value = parseJsonc(text, [], { allowTrailingComma: true })
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

const isSection = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

export function profileNamesOf(raw: Record<string, unknown>): string[] {
  return Object.keys(raw)
    .filter((k) => k !== 'profile' && isSection(raw[k]))
    .sort()
}

function checked<T>(key: 'master' | 'scheme' | 'cache_ttl', value: unknown, fallback: T): T {
  try {
    return value === undefined || value === null ? fallback : (KEYS[key].check(value) as T)
  } catch {
    return fallback
  }
}

export async function readCompletionConfig(
  env: NodeJS.ProcessEnv,
  cwd: string,
  home: string,
  flags: { profile?: string; master?: string },
): Promise<CompletionConfig> {
  const file = candidatePaths(env, cwd, home).find((p) => existsSync(p))
  let raw: Record<string, unknown> = {}
  if (file) {
    try {
      raw = await parse(readFileSync(file, 'utf8'))
    } catch {
      raw = {}
    }
  }
  const profileName =
    flags.profile || env.MESOS_CLI_PROFILE || (typeof raw.profile === 'string' && raw.profile !== '' ? raw.profile : 'default')
  const section = isSection(raw[profileName]) ? raw[profileName] : {}
  let master = checked('master', section.master, String(KEYS.master.default))
  if (env.MESOS_MASTER?.trim()) master = env.MESOS_MASTER.trim()
  if (flags.master?.trim()) master = flags.master.trim()
  return {
    ...(file ? { file } : {}),
    raw,
    profileName,
    master,
    scheme: checked('scheme', section.scheme, String(KEYS.scheme.default)),
    cacheTtl: checked('cache_ttl', section.cache_ttl, Number(KEYS.cache_ttl.default)),
  }
}
