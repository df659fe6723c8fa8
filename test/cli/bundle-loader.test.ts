import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { codeCacheFile, loadBundle, wrapBundle } from '../../src/cli/bundle-loader.js'

const ROOT = join(import.meta.dirname, '../..')

describe('the bundle loader and its code cache', () => {
  let dir: string
  let bundle: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mesos-loader-'))
    bundle = join(dir, 'main.cjs')
    writeFileSync(join(dir, 'other.mjs'), 'export const word = "from a rare module"\n')
    // What the build makes of a module: import.meta.url and import() come from the loader.
    const source = `"use strict";
      module.exports.runCli = async (argv) => {
        const { word } = await __mesosImport('./other.mjs')
        return [argv.join(' '), word, __mesosUrl.endsWith('/main.cjs'), typeof require('node:path').join].join('|')
      }`
    writeFileSync(bundle, wrapBundle(source))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const load = () => loadBundle(pathToFileURL(bundle))

  it('runs the bundle with its URL, require and relative dynamic imports', async () => {
    const b = load()
    expect(await b.runCli(['ls', 'x'])).toBe('ls x|from a rare module|true|function')
    expect(b.usedCodeCache).toBe(false)
  })

  it('writes the cache once, then compiles from it', async () => {
    load().saveCodeCache()
    const written = statSync(codeCacheFile(bundle))
    expect(written.size).toBeGreaterThan(0)
    const second = load()
    expect(second.usedCodeCache).toBe(true)
    second.saveCodeCache()
    expect(statSync(codeCacheFile(bundle)).mtimeMs).toBe(written.mtimeMs)
    expect(await second.runCli(['a'])).toBe('a|from a rare module|true|function')
  })

  it('ignores a cache older than the bundle (a rebuild of the same length)', () => {
    load().saveCodeCache()
    const earlier = new Date(statSync(bundle).mtimeMs - 10_000)
    utimesSync(codeCacheFile(bundle), earlier, earlier)
    const b = load()
    expect(b.usedCodeCache).toBe(false)
    b.saveCodeCache()
    expect(statSync(codeCacheFile(bundle)).mtimeMs).toBeGreaterThan(earlier.getTime())
    expect(load().usedCodeCache).toBe(true)
  })

  it('compiles from source when V8 rejects the cache, and replaces it', async () => {
    writeFileSync(codeCacheFile(bundle), Buffer.from('not a V8 code cache'))
    const b = load()
    expect(b.usedCodeCache).toBe(false)
    expect(await b.runCli(['z'])).toMatch(/^z\|/)
    b.saveCodeCache()
    expect(readFileSync(codeCacheFile(bundle)).toString()).not.toBe('not a V8 code cache')
    expect(load().usedCodeCache).toBe(true)
  })

  it('is silent where the cache cannot be written', () => {
    // Root may write anywhere, so the temporary name is taken by a directory instead.
    mkdirSync(`${codeCacheFile(bundle)}.${process.pid}.tmp`)
    const b = load()
    expect(() => b.saveCodeCache()).not.toThrow()
    expect(existsSync(codeCacheFile(bundle))).toBe(false)
  })

  it('the build ships a cache that Node takes for the real bundle', () => {
    const program = `
      const { loadBundle } = await import(${JSON.stringify(join(ROOT, 'dist/cli/bundle-loader.js'))})
      const b = loadBundle(new URL(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/bundle/main.cjs')).href)}))
      process.stdout.write(String(b.usedCodeCache))`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.stdout).toBe('true')
  })
})
