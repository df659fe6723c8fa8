/**
 * Loads the bundle (dist/bundle/main.cjs, built from src/cli/main.ts by scripts/bundle.mjs) with
 * V8's code cache. Node 20 parses and compiles every module from source on every start, and for
 * our 380 KiB bundle that was the largest part of start-up left (bench/README.md); Node 20 has no
 * module compile cache, but `vm.Script` takes and produces V8's cached data.
 *
 * The bundle is CommonJS-shaped source that the build wraps in a function (`wrapBundle`) receiving
 * what a module would have: `import.meta.url` and `import()` are passed in (scripts/bundle.mjs
 * rewrites them), because a `vm.Script` cannot run `import()` itself without an experimental flag.
 * It is ASCII (esbuild escapes the rest), so it is read as latin1, the cheapest decoding.
 *
 * The cache sits beside the bundle (`main.cjs.cache`, written by the build). It is used only if it
 * is newer than the bundle (V8 checks only the source's length, the V8 version and the flags);
 * V8 rejects it for another Node version or other V8 flags, and then the bundle compiles from
 * source as before and a fresh cache is written if the directory is writable.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'
import type { runCli } from './main.js'

export interface LoadedBundle {
  runCli: typeof runCli
  /** Whether V8 took the code cache (false: none, stale, or rejected). */
  usedCodeCache: boolean
  /** Writes the code cache if there was none or V8 rejected it; never fails. */
  saveCodeCache(): void
}

const PARAMS = ['exports', 'require', 'module', '__mesosUrl', '__mesosImport']

/** What the build writes: the bundle's source as one function expression. */
export function wrapBundle(source: string): string {
  return `(function (${PARAMS.join(', ')}) {${source}\n})`
}

export function codeCacheFile(bundleFile: string): string {
  return `${bundleFile}.cache`
}

export function loadBundle(bundleUrl: URL): LoadedBundle {
  const file = fileURLToPath(bundleUrl)
  const cacheFile = codeCacheFile(file)
  const source = readFileSync(file, 'latin1')
  const cachedData = freshCache(file, cacheFile)
  const script = new vm.Script(source, { filename: file, cachedData })
  const module = { exports: {} as { runCli: typeof runCli } }
  const dynamicImport = (specifier: string): Promise<unknown> =>
    import(/^\.\.?\//.test(specifier) ? new URL(specifier, bundleUrl).href : specifier)
  const init = script.runInThisContext() as (...args: unknown[]) => void
  init(module.exports, createRequire(bundleUrl), module, bundleUrl.href, dynamicImport)
  const usedCodeCache = cachedData !== undefined && !script.cachedDataRejected
  return {
    runCli: module.exports.runCli,
    usedCodeCache,
    saveCodeCache() {
      if (!usedCodeCache) writeCache(cacheFile, script)
    },
  }
}

function freshCache(file: string, cacheFile: string): Buffer | undefined {
  try {
    if (statSync(cacheFile).mtimeMs < statSync(file).mtimeMs) return undefined
    return readFileSync(cacheFile)
  } catch {
    return undefined
  }
}

/** Atomic (a temporary name, then rename), and silent where the install is read-only. */
function writeCache(cacheFile: string, script: vm.Script): void {
  const tmp = `${cacheFile}.${process.pid}.tmp`
  try {
    writeFileSync(tmp, script.createCachedData(), { mode: 0o644 })
    renameSync(tmp, cacheFile)
  } catch {
    try {
      rmSync(tmp, { force: true })
    } catch {
      // not ours to remove (a directory in its place)
    }
  }
}
