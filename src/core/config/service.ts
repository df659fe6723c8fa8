/** `mesos config ...`: show the effective configuration, one value, or change it. */
import type { Deps } from '../deps/index.js'
import { usageError } from '../errors.js'
import { assertKey, normaliseValue, setValue, switchProfile } from './edit.js'
import { KEYS } from './keys.js'
import { MASK, maskSpec } from '../secrets/mask.js'
import { displayProfile, requireProfile } from './settings.js'

export type ConfigOutcome =
  | { kind: 'all'; value: Record<string, unknown> }
  | { kind: 'value'; text: string | undefined }
  | { kind: 'saved'; note: string }

export interface ConfigRequest {
  key?: string
  value?: string
  unset?: boolean
  showSecrets?: boolean
  profileFlag?: string
}

export async function configure(deps: Deps, req: ConfigRequest): Promise<ConfigOutcome> {
  const loc = { env: deps.env, cwd: deps.cwd, home: deps.home }
  const s = deps.settings
  // a profile the file does not have is a typo, except where one is created on purpose
  if (req.key !== 'profile') requireProfile(s)
  if (req.key === undefined) {
    if (req.unset) throw usageError('--unset needs a KEY')
    return { kind: 'all', value: displayProfile(s, req.showSecrets ?? false) }
  }
  if (req.key === 'profile') {
    if (req.unset)
      throw usageError('the active profile cannot be unset; switch with: mesos config profile NAME')
    if (req.value === undefined) return { kind: 'value', text: s.profileName }
    const r = await switchProfile(loc, req.value)
    return {
      kind: 'saved',
      note: `${r.created ? 'created and switched to' : 'switched to'} profile "${r.profile}" in ${r.path}`,
    }
  }
  const key = assertKey(req.key)
  if (req.unset) {
    if (req.value !== undefined) throw usageError('--unset takes a KEY and no VALUE')
    const r = await setValue(loc, req.profileFlag, key, undefined)
    return { kind: 'saved', note: `removed ${key} from profile "${r.profile}" in ${r.path}` }
  }
  if (req.value === undefined) {
    const v = s.profile[key]
    if (v === undefined) return { kind: 'value', text: undefined }
    if (KEYS[key].secret && !req.showSecrets) return { kind: 'value', text: MASK }
    if (key === 'master' && !req.showSecrets) return { kind: 'value', text: maskSpec(String(v)) }
    return { kind: 'value', text: String(v) }
  }
  const value = normaliseValue(key, req.value)
  const r = await setValue(loc, req.profileFlag, key, value)
  return { kind: 'saved', note: `saved ${key} in profile "${r.profile}" of ${r.path}` }
}
