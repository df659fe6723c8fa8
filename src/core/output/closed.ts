/**
 * A reader that goes away while we are idle (`mesos tail -f x | head -1` once head has its line)
 * is only noticed at the next write, which an idle stream may never make. The kernel flags the
 * pipe's write end with POLLERR as soon as its last reader closes; Node cannot poll a write-only
 * pipe for that, so a tiny watcher process (perl, which every Debian system has) polls our stdout
 * and exits when it happens. Without perl, the next write notices as before.
 */
import { spawn } from '../child.js'
import { fstatSync } from 'node:fs'

const WATCHER = 'use IO::Poll qw(POLLERR); my $p = IO::Poll->new; $p->mask(\\*STDOUT => POLLERR); $p->poll(); exit 0'

/** Calls `onClosed` once stdout, a pipe, has no reader left; returns a function that stops watching. */
export function watchStdoutClosed(onClosed: () => void): () => void {
  if (!stdoutIsPipe()) return () => {}
  let stopped = false
  const child = spawn('perl', ['-e', WATCHER], { stdio: ['ignore', 'inherit', 'ignore'] })
  child.on('error', () => {})
  child.on('exit', (code) => {
    if (!stopped && code === 0) onClosed()
  })
  child.unref()
  return () => {
    stopped = true
    child.kill()
  }
}

function stdoutIsPipe(): boolean {
  try {
    return fstatSync(1).isFIFO()
  } catch {
    return false
  }
}
