import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { normaliseValue, setValue, switchProfile } from '../../src/core/config/edit.js'
import {
  candidatePaths,
  findConfigFile,
  parseConfigText,
  readConfigFile,
} from '../../src/core/config/file.js'
import { defaults } from '../../src/core/config/keys.js'
import {
  displayProfile,
  loadSettings,
  requireProfile,
  settingsFrom,
} from '../../src/core/config/settings.js'
import { maskSpec } from '../../src/core/secrets/mask.js'
import { usageMessage } from '../helpers/errors.js'

let root: string
let home: string
let cwd: string

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mesos-config-'))
  home = join(root, 'home')
  cwd = join(root, 'work')
  await mkdir(home)
  await mkdir(cwd)
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

const loc = (env: NodeJS.ProcessEnv = {}) => ({ env, cwd, home })

describe('search path', () => {
  it('follows spec order and stops at MESOS_CLI_CONFIG', () => {
    expect(candidatePaths(loc())).toEqual([
      join(cwd, '.mesos.json'),
      join(home, '.mesos.json'),
      '/etc/.mesos.json',
      '/usr/etc/.mesos.json',
      '/usr/local/etc/.mesos.json',
    ])
    expect(candidatePaths(loc({ MESOS_CLI_CONFIG: 'conf/m.json' }))).toEqual([join(cwd, 'conf/m.json')])
  })

  it('takes the first existing file: ./ before ~', async () => {
    await writeFile(join(home, '.mesos.json'), '{}')
    expect(findConfigFile(loc())).toBe(join(home, '.mesos.json'))
    await writeFile(join(cwd, '.mesos.json'), '{}')
    expect(findConfigFile(loc())).toBe(join(cwd, '.mesos.json'))
  })

  it('with MESOS_CLI_CONFIG, only that file is considered', async () => {
    await writeFile(join(cwd, '.mesos.json'), '{"default":{"master":"a:1"}}')
    const s = await loadSettings(loc({ MESOS_CLI_CONFIG: join(root, 'absent.json') }))
    expect(s.file).toBeUndefined()
    expect(s.profile.master).toBe('localhost:5050')
  })
})

describe('reading', () => {
  it('skips a byte order mark, and says why a path cannot be read (exit 2)', async () => {
    const file = join(cwd, 'bom.json')
    await writeFile(file, '\ufeff{"master": "m1:5050"}\n')
    expect(await readConfigFile(file)).toEqual({ master: 'm1:5050' })
    const msg = await readConfigFile(cwd).then(
      () => 'read',
      (e: { message: string; kind: string }) => `${e.kind}: ${e.message}`,
    )
    expect(msg).toMatch(new RegExp(`^usage: cannot read ${cwd.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*directory`))
  })

  it('tolerates comments and trailing commas', async () => {
    const file = join(cwd, '.mesos.json')
    await writeFile(
      file,
      '// cluster settings\n{\n  "profile": "prod", /* active */\n  "prod": { "master": "zk://z1:2181/mesos", "max_workers": 8, },\n}\n',
    )
    expect(await readConfigFile(file)).toEqual({
      profile: 'prod',
      prod: { master: 'zk://z1:2181/mesos', max_workers: 8 },
    })
  })

  it('reports a malformed file with its path, line and column, as a usage error', () => {
    const msg = usageMessage(() =>
      parseConfigText('/x/.mesos.json', '{\n  "default": {\n    "master": \n  }\n}'),
    )
    expect(msg).toMatch(/^malformed config file \/x\/\.mesos\.json:4:3: value expected/)
  })

  it('refuses a top level that is not an object', () => {
    expect(usageMessage(() => parseConfigText('/f', '[1,2]'))).toMatch(/expected a JSON object/)
  })

  it('accepts the original mesos-cli value forms ("false", "5") and normalises them', () => {
    const s = settingsFrom({ default: { debug: 'false', response_timeout: '7', max_workers: 5 } }, '/f', {})
    expect(s.profile.debug).toBe(false)
    expect(s.profile.response_timeout).toBe(7)
    expect(s.profile.max_workers).toBe(5)
  })

  it('rejects an invalid value in the active profile, naming key, profile and file, without showing secrets', () => {
    expect(usageMessage(() => settingsFrom({ default: { max_workers: 0 } }, '/f', {}))).toBe(
      'invalid max_workers 0 in profile "default" of /f: expected a whole number from 1 to 1024',
    )
    const msg = usageMessage(() => settingsFrom({ default: { scheme: 'gopher' } }, '/f', {}))
    expect(msg).toContain('expected one of http, https')
  })

  it('ignores invalid values of inactive profiles and keeps unknown keys', () => {
    const raw = { profile: 'a', a: { master: 'm:1', custom: 1 }, b: { max_workers: 'lots' } }
    expect(settingsFrom(raw, '/f', {}).profile.master).toBe('m:1')
  })
})

describe('profiles and precedence', () => {
  const raw = {
    profile: 'default',
    default: { master: 'zk://zk1:2181/mesos', scheme: 'http' },
    staging: { master: '10.1.2.3:5050', response_timeout: 9 },
  }

  it('uses the file profile, then MESOS_CLI_PROFILE, then --profile', () => {
    expect(settingsFrom(raw, '/f', {}).profile.master).toBe('zk://zk1:2181/mesos')
    expect(settingsFrom(raw, '/f', { MESOS_CLI_PROFILE: 'staging' }).profile.master).toBe('10.1.2.3:5050')
    const s = settingsFrom(raw, '/f', { MESOS_CLI_PROFILE: 'nope' }, { profile: 'staging' })
    expect(s.profileName).toBe('staging')
    expect(s.profile.response_timeout).toBe(9)
  })

  it('lets MESOS_MASTER override the profile and --master override both', () => {
    expect(settingsFrom(raw, '/f', { MESOS_MASTER: 'env:1' }).profile.master).toBe('env:1')
    const s = settingsFrom(
      raw,
      '/f',
      { MESOS_MASTER: 'env:1' },
      { master: 'flag:2', timeout: 2.5, debug: true },
    )
    expect(s.profile.master).toBe('flag:2')
    expect(s.profile.response_timeout).toBe(2.5)
    expect(s.profile.debug).toBe(true)
    expect(s.origin.master).toBe('flag')
  })

  it('fills every key default', () => {
    const s = settingsFrom({}, undefined, {})
    expect(s.profile).toEqual(defaults())
    expect(s.profile).toMatchObject({
      master: 'localhost:5050',
      scheme: 'http',
      response_timeout: 5,
      zk_timeout: 5,
      max_workers: 16,
      cache_ttl: 5,
      debug: false,
      log_level: 'warning',
      insecure: false,
      ssh_port: 22,
      ssh_strict_host_keys: 'ask',
    })
  })

  it('refuses an explicitly named profile that does not exist', () => {
    const s = settingsFrom(raw, '/f', {}, { profile: 'prod' })
    const msg = usageMessage(() => requireProfile(s))
    expect(msg).toBe('no profile "prod" in /f')
    expect(() => requireProfile(settingsFrom(raw, '/f', {}))).not.toThrow()
  })

  it('masks secrets and zk passwords for display', () => {
    const s = settingsFrom(
      { default: { master: 'zk://u:pw@z:2181/mesos', secret: 'x', token: 't', principal: 'p' } },
      '/f',
      {},
    )
    const shown = displayProfile(s, false)
    expect(shown).toMatchObject({
      master: 'zk://u:********@z:2181/mesos',
      secret: '********',
      token: '********',
      principal: 'p',
    })
    expect(JSON.stringify(shown)).not.toContain('pw@')
    expect(displayProfile(s, true)).toMatchObject({
      secret: 'x',
      token: 't',
      master: 'zk://u:pw@z:2181/mesos',
    })
    expect(maskSpec('zk://z1:2181/mesos')).toBe('zk://z1:2181/mesos')
  })
})

describe('saving', () => {
  it('writes ~/.mesos.json when no file exists, with mode 0600', async () => {
    const r = await setValue(loc(), undefined, 'master', normaliseValue('master', 'zk://z:2181/mesos'))
    expect(r.path).toBe(join(home, '.mesos.json'))
    const text = await readFile(r.path, 'utf8')
    expect(JSON.parse(text)).toEqual({ profile: 'default', default: { master: 'zk://z:2181/mesos' } })
    expect((await stat(r.path)).mode & 0o777).toBe(0o600)
  })

  it('keeps comments, other profiles and unknown keys, and stores typed values', async () => {
    const file = join(cwd, '.mesos.json')
    const original =
      '{\n  // which profile\n  "profile": "default",\n  "default": {\n    "master": "a:1", // the old one\n    "custom_key": [1, 2]\n  },\n  "other": { "master": "b:2" }\n}\n'
    await writeFile(file, original, { mode: 0o644 })
    await setValue(loc(), undefined, 'response_timeout', normaliseValue('response_timeout', '12'))
    await setValue(loc(), undefined, 'insecure', normaliseValue('insecure', 'yes'))
    const text = await readFile(file, 'utf8')
    expect(text).toContain('// which profile')
    expect(text).toContain('// the old one')
    const parsed = parseConfigText(file, text)
    expect(parsed).toEqual({
      profile: 'default',
      default: { master: 'a:1', custom_key: [1, 2], response_timeout: 12, insecure: true },
      other: { master: 'b:2' },
    })
    expect((await stat(file)).mode & 0o777).toBe(0o600)
  })

  it('removes a key with unset', async () => {
    const file = join(cwd, '.mesos.json')
    await writeFile(file, '{"profile":"default","default":{"master":"a:1","token":"t"}}')
    await setValue(loc(), undefined, 'token', undefined)
    expect(parseConfigText(file, await readFile(file, 'utf8'))).toEqual({
      profile: 'default',
      default: { master: 'a:1' },
    })
  })

  it('saves in the profile named by --profile, creating it', async () => {
    const file = join(cwd, '.mesos.json')
    await writeFile(file, '{"profile":"default","default":{}}')
    await setValue(loc(), 'staging', 'master', 'c:3')
    expect(parseConfigText(file, await readFile(file, 'utf8'))).toEqual({
      profile: 'default',
      default: {},
      staging: { master: 'c:3' },
    })
  })

  it('switches profile, creating it when needed', async () => {
    const file = join(cwd, '.mesos.json')
    await writeFile(file, '{"profile":"default","default":{"master":"a:1"}}')
    expect((await switchProfile(loc(), 'lab')).created).toBe(true)
    expect(parseConfigText(file, await readFile(file, 'utf8'))).toEqual({
      profile: 'lab',
      default: { master: 'a:1' },
      lab: {},
    })
    expect((await switchProfile(loc(), 'default')).created).toBe(false)
  })

  it('never touches a malformed file', async () => {
    const file = join(cwd, '.mesos.json')
    const broken = '{"default": {"master": "a:1",,}'
    await writeFile(file, broken)
    await expect(setValue(loc(), undefined, 'master', 'b:2')).rejects.toThrow(/malformed config file/)
    expect(await readFile(file, 'utf8')).toBe(broken)
  })

  it('replaces a symlinked config at its target', async () => {
    const target = join(root, 'real.json')
    await writeFile(target, '{"profile":"default","default":{}}')
    await symlink(target, join(cwd, '.mesos.json'))
    await setValue(loc(), undefined, 'master', 'd:4')
    expect(JSON.parse(await readFile(target, 'utf8')).default.master).toBe('d:4')
  })

  it('validates values: enums, numbers, ports, master specs', () => {
    expect(usageMessage(() => normaliseValue('ssh_strict_host_keys', 'maybe'))).toMatch(
      /yes, no, accept-new, ask/,
    )
    expect(usageMessage(() => normaliseValue('ssh_port', '70000'))).toMatch(/port number/)
    expect(usageMessage(() => normaliseValue('cache_ttl', '-1'))).toMatch(/0 or more/)
    expect(usageMessage(() => normaliseValue('master', 'zk://host:2181'))).toMatch(/path/)
    expect(normaliseValue('cache_ttl', '0')).toBe(0)
    expect(normaliseValue('scheme', 'HTTPS')).toBe('https')
  })
})
