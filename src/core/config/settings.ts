/**
 * The effective configuration of one run: file (if any) → active profile → environment → flags.
 */
import { setupError, usageError } from '../errors.js'
import { debugFromEnv } from './debug-env.js'
import { findConfigFile, type Locations, type RawConfig, readConfigFile } from './file.js'
import { checkValue, defaults, isKeyName, isSecret, KEY_NAMES, type KeyName, type Profile } from './keys.js'
import { cut, MASK, maskSpec } from '../secrets/mask.js'

export interface Overrides {
  profile?: string
  master?: string
  timeout?: number
  debug?: boolean
}

export interface Settings {
  /** The file read, if one was found. */
  file?: string
  raw: RawConfig
  profileName: string
  /** How the profile was chosen: a flag/env names one explicitly, else the file or the default. */
  profileSource: 'flag' | 'env' | 'file' | 'default'
  profileExists: boolean
  /** Profile keys found at the top level of the file (a book-style file), read into the active profile. */
  bookKeys: string[]
  /** Defaults, then the profile's values, then environment and flag overrides. */
  profile: Profile
  /** Where each effective value came from. */
  origin: Partial<Record<KeyName, 'default' | 'file' | 'env' | 'flag' | 'spec'>>
}

export function profileNames(raw: RawConfig): string[] {
  return Object.keys(raw).filter((k) => k !== 'profile' && isPlainObject(raw[k]))
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

export function chooseProfile(
  raw: RawConfig,
  env: NodeJS.ProcessEnv,
  flag?: string,
): { name: string; source: Settings['profileSource'] } {
  if (flag) return { name: flag, source: 'flag' }
  if (env.MESOS_CLI_PROFILE) return { name: env.MESOS_CLI_PROFILE, source: 'env' }
  if (typeof raw.profile === 'string' && raw.profile !== '') return { name: raw.profile, source: 'file' }
  if (raw.profile !== undefined && raw.profile !== null && typeof raw.profile !== 'string') {
    throw setupError(`invalid profile ${shown('profile', raw.profile)}: expected the name of a profile (a string)`)
  }
  return { name: 'default', source: 'default' }
}

/** Builds the effective profile from already-read file contents. Pure, for tests and completion. */
export function settingsFrom(
  raw: RawConfig,
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  over: Overrides = {},
): Settings {
  const { name, source } = chooseProfile(raw, env, over.profile)
  const section = raw[name]
  const exists = isPlainObject(section)
  const profile = defaults() as unknown as Record<string, unknown>
  const origin: Settings['origin'] = {}
  for (const k of KEY_NAMES) if (profile[k] !== undefined) origin[k] = 'default'

  // A book-style file (the original mesos-cli's) has its keys at the top level: they are read as
  // the active profile's, under what the profile itself says, and warned about (`bookKeys`).
  const bookKeys = KEY_NAMES.filter((k) => raw[k] !== undefined && raw[k] !== null && !isPlainObject(raw[k]))
  const sections: [Record<string, unknown>, string][] = [[Object.fromEntries(bookKeys.map((k) => [k, raw[k]])), 'the top level']]
  if (exists) sections.push([section, `profile "${name}"`])
  for (const [values, where] of sections) {
    for (const [key, value] of Object.entries(values)) {
      if (!isKeyName(key) || value === null || value === undefined) continue
      const checked = checkValue(key, value)
      if ('error' in checked) {
        throw setupError(
          `invalid ${key} ${shown(key, value)} in ${where} of ${file}: ${checked.error}`,
          [`fix it with: mesos config ${key} <value>`],
        )
      }
      profile[key] = checked.value
      origin[key] = 'file'
    }
  }
  const envMaster = env.MESOS_MASTER
  if (envMaster !== undefined && envMaster.trim() !== '') {
    profile.master = envMaster.trim()
    origin.master = 'env'
  }
  if (debugFromEnv(env)) {
    profile.debug = true
    origin.debug = 'env'
  }
  if (over.master !== undefined && over.master.trim() !== '') {
    profile.master = over.master.trim()
    origin.master = 'flag'
  }
  // The scheme of a URL spec is the cluster's, for masters and agents alike (spec section 3).
  const urlScheme = /^\s*(https?):\/\//i.exec(String(profile.master))?.[1]?.toLowerCase()
  if (urlScheme === 'http' || urlScheme === 'https') {
    if (profile.scheme !== urlScheme) origin.scheme = 'spec'
    profile.scheme = urlScheme
  }
  if (over.timeout !== undefined) {
    const checked = checkValue('response_timeout', over.timeout)
    if ('error' in checked) throw usageError(`invalid --timeout ${over.timeout}: ${checked.error}`)
    profile.response_timeout = checked.value
    origin.response_timeout = 'flag'
  }
  if (over.debug) {
    profile.debug = true
    origin.debug = 'flag'
  }
  return {
    file,
    raw,
    profileName: name,
    profileSource: source,
    profileExists: exists,
    bookKeys,
    profile: profile as unknown as Profile,
    origin,
  }
}

export async function loadSettings(loc: Locations, over: Overrides = {}): Promise<Settings> {
  const file = findConfigFile(loc)
  const raw = file ? await readConfigFile(file) : {}
  return settingsFrom(raw, file, loc.env, over)
}

/**
 * A profile named on the command line or in MESOS_CLI_PROFILE must exist before a command talks to
 * a cluster with it; otherwise a typo silently means "localhost:5050".
 */
export function requireProfile(s: Settings): void {
  // "default" is what an unnamed run uses anyway, so naming it when the file lacks it is no typo
  if (s.profileExists || s.profileSource === 'default' || s.profileSource === 'file' || s.profileName === 'default') return
  const known = profileNames(s.raw)
  const where = s.file ? ` in ${s.file}` : ' (no config file found)'
  throw setupError(
    `no profile "${s.profileName}"${where}`,
    known.length
      ? [`known profiles: ${known.join(', ')}`]
      : [`create it with: mesos config profile ${s.profileName}`],
  )
}

/** The effective profile for display, with secrets masked unless asked for. */
export function displayProfile(s: Settings, showSecrets: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of KEY_NAMES) {
    const v = s.profile[k]
    if (v === undefined) continue
    out[k] =
      !showSecrets && isSecret(k) ? MASK : k === 'master' && !showSecrets ? maskSpec(String(v)) : v
  }
  return out
}

/** A value from the file as an error may echo it: secrets masked, long values cut. */
function shown(key: string, value: unknown): string {
  if (isSecret(key)) return JSON.stringify(MASK)
  const text = typeof value === 'string' ? JSON.stringify(maskSpec(value)) : (JSON.stringify(value) ?? String(value))
  return cut(text)
}
