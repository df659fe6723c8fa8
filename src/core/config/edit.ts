/**
 * `mesos config KEY VALUE`, `--unset KEY` and `profile NAME`: validated edits of the config file
 * that keep comments, other profiles and unknown keys, saved atomically with mode 0600. Each edit
 * reads, changes and writes the file under its lock (lock.ts), so parallel runs lose nothing.
 */
import { realpathSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { setupError, usageError } from '../errors.js'
import { parseMasterSpec } from '../master/spec.js'
import {
  defaultWritePath,
  editConfigText,
  findConfigFile,
  type Locations,
  parseConfigText,
  writeFileAtomic,
} from './file.js'
import { fsReason } from './fs-errors.js'
import { checkValue, isKeyName, KEY_NAMES, type KeyName } from './keys.js'
import { withFileLock } from './lock.js'
import { chooseProfile } from './settings.js'

async function current(loc: Locations): Promise<{ path: string; text: string; exists: boolean }> {
  const found = findConfigFile(loc)
  const path = found ?? defaultWritePath(loc)
  if (!found) return { path, text: '', exists: false }
  try {
    return { path, text: await readFile(path, 'utf8'), exists: true }
  } catch (err) {
    throw setupError(`cannot read ${path}: ${fsReason(err)}`)
  }
}

/** The read-modify-write of the config file, under the lock next to it. */
function locked<T>(loc: Locations, fn: () => Promise<T>): Promise<T> {
  const path = findConfigFile(loc) ?? defaultWritePath(loc)
  let target = path
  try {
    target = realpathSync(path)
  } catch {
    // not there yet: lock where it will be written
  }
  return withFileLock(target, fn)
}

export function assertKey(name: string): KeyName {
  if (isKeyName(name)) return name
  const near = KEY_NAMES.filter((k) => k.includes(name) || name.includes(k))
  throw usageError(
    `unknown config key "${name}"`,
    [...(near.length ? [`did you mean ${near.join(', ')}?`] : [`known keys: ${KEY_NAMES.join(', ')}`]), 'mesos config --help'],
  )
}

/** Validates `raw` for `key` and returns the value to store (numbers and booleans typed). */
export function normaliseValue(key: KeyName, raw: string): string | number | boolean {
  const checked = checkValue(key, raw)
  if ('error' in checked) throw usageError(`invalid value for ${key}: ${checked.error}`, ['mesos config --help'])
  if (key === 'master') parseMasterSpec(String(checked.value))
  return checked.value
}

export interface EditResult {
  path: string
  profile: string
}

export async function setValue(
  loc: Locations,
  profileFlag: string | undefined,
  key: KeyName,
  value: string | number | boolean | undefined,
): Promise<EditResult> {
  return locked(loc, () => setValueNow(loc, profileFlag, key, value))
}

async function setValueNow(
  loc: Locations,
  profileFlag: string | undefined,
  key: KeyName,
  value: string | number | boolean | undefined,
): Promise<EditResult> {
  const { path, text } = await current(loc)
  const raw = parseConfigText(path, text)
  const { name } = chooseProfile(raw, loc.env, profileFlag)
  let next = text
  if (raw.profile === undefined) next = editConfigText(next, ['profile'], name)
  const section = raw[name]
  if (section === undefined || section === null || typeof section !== 'object') {
    if (value === undefined) return { path, profile: name }
    next = editConfigText(next, [name], { [key]: value })
  } else {
    next = editConfigText(next, [name, key], value)
  }
  await writeFileAtomic(path, next)
  return { path, profile: name }
}

/** Makes NAME the active profile, creating it (empty) when it does not exist. */
export async function switchProfile(
  loc: Locations,
  name: string,
): Promise<EditResult & { created: boolean }> {
  if (name === 'profile' || name.trim() === '') throw usageError(`"${name}" cannot be a profile name`)
  return locked(loc, () => switchProfileNow(loc, name))
}

async function switchProfileNow(loc: Locations, name: string): Promise<EditResult & { created: boolean }> {
  const { path, text } = await current(loc)
  const raw = parseConfigText(path, text)
  let next = editConfigText(text, ['profile'], name)
  const created = !(raw[name] !== null && typeof raw[name] === 'object')
  if (raw[name] !== undefined && created) throw setupError(`"${name}" in ${path} is not a profile object`)
  if (created) next = editConfigText(next, [name], {})
  await writeFileAtomic(path, next)
  return { path, profile: name, created }
}
