/** Spec 2: the book's config files, which file and profile `mesos config` read, and unknown profiles. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCommand } from '../helpers/run-command.js'

function homeWith(config: unknown): string {
  const home = mkdtempSync(join(tmpdir(), 'mesos-config-'))
  writeFileSync(join(home, '.mesos.json'), JSON.stringify(config))
  return home
}

describe('a book-style config file (keys at the top level)', () => {
  it('is read as the active profile, with a warning naming the keys and the profile', async () => {
    const home = homeWith({ master: '10.0.0.1:5050', response_timeout: 3 })
    const run = await runCommand(['config', 'master'], { home })
    expect(await run.done).toBe(0)
    expect(run.stdout()).toBe('10.0.0.1:5050\n')
    expect(run.stderr()).toBe(
      `mesos: warning: ${join(home, '.mesos.json')}: "master", "response_timeout" at the top level belong in a profile; read as profile "default" (move them into "default": {...})\n`,
    )
  })

  it("a profile's own value wins over the top level", async () => {
    const home = homeWith({ master: '10.0.0.1:5050', profile: 'prod', prod: { master: '10.9.9.9:5050' } })
    const run = await runCommand(['config', 'master'], { home })
    expect(await run.done).toBe(0)
    expect(run.stdout()).toBe('10.9.9.9:5050\n')
  })
})

describe('mesos config', () => {
  it('says on stderr which file and which profile it read', async () => {
    const home = homeWith({ profile: 'prod', prod: { master: 'm:5050' } })
    const run = await runCommand(['config'], { home })
    expect(await run.done).toBe(0)
    expect(run.stderr()).toBe(`# profile "prod" from ${join(home, '.mesos.json')}\n`)
    expect(JSON.parse(run.stdout())).toMatchObject({ master: 'm:5050' })
  })

  it('--profile with a typo is an error, and nothing is created', async () => {
    const home = homeWith({ profile: 'staging', staging: { master: 'm:5050' } })
    const before = readFileSync(join(home, '.mesos.json'), 'utf8')
    const run = await runCommand(['--profile', 'stagign', 'config', 'response_timeout', '7'], { home })
    expect(await run.done).toBe(2)
    expect(run.stderr()).toBe(`mesos: no profile "stagign" in ${join(home, '.mesos.json')}\nhint: known profiles: staging\n`)
    expect(readFileSync(join(home, '.mesos.json'), 'utf8')).toBe(before)
  })

  it('config profile NAME still creates a profile', async () => {
    const home = homeWith({ profile: 'staging', staging: {} })
    const run = await runCommand(['config', 'profile', 'prod'], { home })
    expect(await run.done).toBe(0)
    expect(JSON.parse(readFileSync(join(home, '.mesos.json'), 'utf8'))).toMatchObject({ profile: 'prod', prod: {} })
  })
})
