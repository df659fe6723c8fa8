/** The lock file that keeps one cache refresh (refresh.ts) per cluster at a time. */
import { statSync } from 'node:fs'
import type { CompletionCache } from './cache.js'

/**
 * A refresh gives up after this long; an older lock file is stale. A master takes seconds to build
 * the `/master/state` of 100,000 tasks before its first byte, and a minute for a million.
 */
export const REFRESH_MAX_MS = 120_000

export function lockFile(cache: CompletionCache): string {
  return `${cache.disk.fileFor(`refresh\0${cache.master}\0${cache.scheme}`)}.lock`
}

export function refreshRunning(cache: CompletionCache, now = Date.now()): boolean {
  try {
    return now - statSync(lockFile(cache)).mtimeMs < REFRESH_MAX_MS + 5000
  } catch {
    return false
  }
}
