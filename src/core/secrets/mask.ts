/**
 * The one place secrets are hidden (spec section 1.1): passwords in master specs
 * (`zk://alice:PW@…`, `http://u:PW@…`), `secret`, `token` and ZooKeeper digest passwords are shown
 * as `********` in errors, `--debug` lines, the log file, `mesos config` and the process title.
 * Cache keys never hold them in clear either: see `fingerprint`.
 */
import { createHash } from 'node:crypto'

export const MASK = '********'

/** Text echoed back to the user (a spec, a value) is cut to this many characters. */
export const ECHO_MAX = 200

/** `scheme://user:password@` → `scheme://user:********@`; credentials end at the last '@', as Mesos reads them. */
// The lookbehind starts a match only at the start of a word: linear even on megabytes of letters.
const URL_PASSWORD = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*):([^\s'"]*)@/gi

/** Masks the password of every `scheme://user:password@host` in `text`. */
export function maskSpec(text: string): string {
  return text.replace(URL_PASSWORD, (_m, pre: string) => `${pre}:${MASK}@`)
}

/** Cuts echoed text to `max` characters, saying how much was left out. */
export function cut(text: string, max = ECHO_MAX, total = text.length): string {
  if (text.length <= max && total <= text.length) return text
  return `${text.slice(0, max)}… (${total} characters)`
}

/** The passwords written inside URL-like specs, so they can be masked wherever they are repeated. */
export function specPasswords(spec: string): string[] {
  const out: string[] = []
  for (const m of spec.matchAll(URL_PASSWORD)) if (m[2]) out.push(m[2])
  return out
}

/**
 * A masker for one run: hides the URL passwords of any spec and every known secret value verbatim
 * (also in their encoded forms a header or a URL would carry).
 */
export type Masker = (text: string) => string

export function createMasker(secrets: readonly (string | undefined)[]): Masker {
  const known = new Set<string>()
  for (const s of secrets) {
    if (s === undefined || s.length < 3) continue
    known.add(s)
    known.add(encodeURIComponent(s))
  }
  const list = [...known].sort((a, b) => b.length - a.length)
  return (text) => {
    let out = maskSpec(text)
    for (const s of list) if (out.includes(s)) out = out.split(s).join(MASK)
    return out
  }
}

/**
 * A short digest of everything that changes what a cluster answers (credentials, CA, scheme,
 * TLS verification): cached answers are bound to it, and it shows none of its inputs.
 */
export function fingerprint(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)
}

/** Hides secrets from `ps` and /proc/PID/cmdline, which show the process title. */
export function maskProcessTitle(argv: readonly string[], mask: Masker): void {
  const masked = argv.map(mask)
  if (masked.every((a, i) => a === argv[i])) return
  try {
    process.title = masked.join(' ')
  } catch {
    // some platforms do not let a process rename itself
  }
}
