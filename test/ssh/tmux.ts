/** Driving the built CLI on a real terminal: a private tmux server, send-keys in, capture-pane out. */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { shellJoin } from '../../src/core/ssh/quote.js'
import { BIN } from '../helpers/cli.js'

export class Tmux {
  readonly socket = `mesos-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`

  /** `dir` receives each session's script, and `<session>.tty` / `<session>.modes` (its terminal and modes). */
  constructor(private readonly dir: string) {}

  run(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' })
  }

  screen(session: string): string {
    return this.run('capture-pane', '-p', '-J', '-t', session)
  }

  keys(session: string, ...keys: string[]): void {
    this.run('send-keys', '-t', session, ...keys)
  }

  async waitFor(session: string, test: (text: string) => boolean, what: string, ms = 10_000): Promise<string> {
    const until = Date.now() + ms
    for (;;) {
      const text = this.screen(session)
      if (test(text)) return text
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; the screen shows:\n${text}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  /**
   * Types a line until the screen shows its effect: the first line typed into a session that is
   * still connecting can be lost (typed before the remote shell reads its terminal), and a busy
   * machine makes that window long. Each try waits `perTryMs`; the whole wait is bounded.
   */
  async typeUntil(session: string, line: string, test: (text: string) => boolean, what: string, perTryMs = 5_000, tries = 6): Promise<string> {
    for (let i = 1; ; i++) {
      this.keys(session, line, 'Enter')
      try {
        return await this.waitFor(session, test, what, perTryMs)
      } catch (err) {
        if (i >= tries) throw err
      }
    }
  }

  /**
   * Runs `mesos ARGS` in a new 100x30 session; afterwards the screen shows `EXITED:<status>` and
   * `TERMINAL:restored|changed`. With `gate`, the command waits until that file exists.
   */
  start(session: string, args: string[], env: NodeJS.ProcessEnv, gate?: string): void {
    const file = (ext: string) => shellJoin([join(this.dir, `${session}.${ext}`)])
    const script = join(this.dir, `${session}.sh`)
    writeFileSync(
      script,
      [
        `export ${Object.entries(env).map(([k, v]) => `${k}=${shellJoin([v ?? ''])}`).join(' ')}`,
        'before=$(stty -g)',
        `tty > ${file('tty')}; stty -g > ${file('modes')}`,
        gate ? `while [ ! -e ${shellJoin([gate])} ]; do sleep 0.05; done` : '',
        shellJoin([process.execPath, BIN, ...args]),
        'echo "EXITED:$?"',
        '[ "$(stty -g)" = "$before" ] && echo "TERMINAL:restored" || echo "TERMINAL:changed"',
        'sleep 600',
        '',
      ].join('\n'),
    )
    this.run('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `sh ${script}`)
  }

  /** A shell test, run remotely on this same machine, of whether the session's terminal is as it was. */
  modesCheck(session: string, as: string): string {
    const [tty, modes] = [join(this.dir, `${session}.tty`), join(this.dir, `${session}.modes`)]
    return `[ "$(stty -g < "$(cat '${tty}')")" = "$(cat '${modes}')" ] && echo ${as}:cooked || echo ${as}:raw`
  }

  stop(): void {
    try {
      this.run('kill-server')
    } catch {
      // no session left
    }
  }
}
