/**
 * Remote command lines. sshd hands the command string to the user's login shell, so every word we
 * send is quoted for a POSIX shell: a sandbox path or an argument containing quotes, spaces, `$`,
 * `;` or newlines arrives as one literal word.
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/

/** One word for a POSIX shell: left bare when that is unambiguous, otherwise single-quoted. */
export function shellQuote(word: string): string {
  if (SAFE.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}

export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ')
}

export interface RemoteScript {
  /** The directory to start in; undefined starts in the login directory (home). */
  directory?: string
  /** The command and its arguments; undefined runs the user's login shell. */
  argv?: readonly string[]
}

/**
 * `cd` into the directory (a warning on stderr and the home directory when it is gone), then the
 * command, or an interactive login shell.
 */
export function remoteScript({ directory, argv }: RemoteScript): string {
  const run = argv && argv.length > 0 ? shellJoin(argv) : 'exec "${SHELL:-/bin/sh}" -l'
  if (directory === undefined) return run
  const warning = `mesos: warning: ${directory} does not exist on this host; starting in the home directory`
  return `cd -- ${shellQuote(directory)} 2>/dev/null || printf '%s\\n' ${shellQuote(warning)} >&2; ${run}`
}
