/** A byte progress bar on stderr for `download` (cli-progress, loaded only on a TTY). */
import type { IO } from '../../core/output/io.js'
import { onExit } from '../../core/lifecycle.js'
import type { DownloadProgress } from '../../core/sandbox/download.js'

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`

export const noProgress: DownloadProgress & { stop(): void } = {
  planned: () => {},
  advanced: () => {},
  fileDone: () => {},
  stop: () => {},
}

export async function downloadBar(io: IO): Promise<DownloadProgress & { stop(): void }> {
  if (!io.stderrIsTTY) return noProgress
  const { SingleBar } = await import('cli-progress')
  let files = 0
  let done = 0
  let value = 0
  let bar: InstanceType<typeof SingleBar> | undefined
  let forget: () => unknown = () => undefined
  return {
    planned(count, bytes) {
      files = count
      // the waiting for the cluster is over: the bar says the rest
      io.status?.(undefined)
      if (count === 0) return
      bar = new SingleBar({
        stream: io.stderr,
        clearOnComplete: true,
        hideCursor: true,
        format: (options, params) => {
          const size = options.barsize ?? 30
          const filled = Math.round(params.progress * size)
          return `downloading [${'='.repeat(filled)}${' '.repeat(size - filled)}] ${Math.floor(params.progress * 100)}% | ${done}/${files} files | ${mb(params.value)}/${mb(params.total)}`
        },
      })
      bar.start(Math.max(bytes, 1), 0)
      // the bar hides the cursor: show it again however the run ends
      forget = onExit(() => bar?.stop())
    },
    advanced(n) {
      value += n
      bar?.update(value)
    },
    fileDone() {
      done++
      bar?.update(value)
    },
    stop() {
      forget()
      bar?.stop()
    },
  }
}
