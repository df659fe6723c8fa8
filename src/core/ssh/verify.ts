/**
 * What to do with the key a server presents, by `StrictHostKeyChecking` mode (as OpenSSH):
 * a known key passes; a revoked one never does; a changed key is refused (with `no`: a loud warning);
 * a new key is refused (`yes`), recorded (`accept-new`, `no`), or asked about on a terminal (`ask`).
 */
import { homedir } from 'node:os'
import type { IO } from '../output/io.js'
import {
  appendKnownHost,
  fingerprint,
  hostKeyStatus,
  knownHostName,
  keyTypeOf,
  readKnownHosts,
} from './known-hosts.js'
import type { HostOptions } from './options.js'
import { askLine } from './prompt.js'

export class HostKeyRejected extends Error {
  constructor(
    message: string,
    readonly hints: string[] = [],
  ) {
    super(message)
    this.name = 'HostKeyRejected'
  }
}

export interface Serializer {
  run<T>(fn: () => Promise<T>): Promise<T>
}

/** Runs one task at a time: terminal questions, and read-then-append of known_hosts. */
export class Serial implements Serializer {
  private tail: Promise<unknown> = Promise.resolve()
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn)
    this.tail = next.catch(() => undefined)
    return next
  }
}

export interface VerifyContext {
  io: IO
  home: string
  serial: Serializer
}

const shortType = (t: string) =>
  t === 'ssh-ed25519' ? 'ED25519' : t.startsWith('ecdsa') ? 'ECDSA' : t === 'ssh-rsa' ? 'RSA' : t.toUpperCase()

export function tilde(path: string, home = homedir()): string {
  return path === home || path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path
}

/** Resolves when the key may be used; throws HostKeyRejected with the reason otherwise. */
export async function verifyHostKey(ctx: VerifyContext, h: HostOptions, key: Buffer): Promise<void> {
  const name = knownHostName(h.hostname, h.port)
  const files = [...h.knownHostsFiles, ...h.globalKnownHostsFiles]
  const what = `${shortType(keyTypeOf(key))} key ${fingerprint(key)}`
  const status = hostKeyStatus(await readKnownHosts(files), name, key)
  const where = (e: { file: string; line: number }) => `${tilde(e.file, ctx.home)}:${e.line}`

  switch (status.kind) {
    case 'known':
      return
    case 'revoked':
      throw new HostKeyRejected(`the host key of ${name} (${what}) is revoked in ${where(status.entry)}`)
    case 'changed': {
      const message = `the host key of ${name} has changed: it sent ${what}, but ${where(status.entry)} records another; possible man-in-the-middle`
      if (h.strict === 'no') {
        ctx.io.warn(`${message}; connecting anyway (strict host key checking is "no")`)
        return
      }
      throw new HostKeyRejected(message, [
        `if the host was reinstalled, remove the old key: ssh-keygen -R '${name}' -f ${status.entry.file}`,
      ])
    }
    case 'new':
      break
  }

  const target = h.knownHostsFiles[0]!
  const record = () =>
    ctx.serial.run(async () => {
      // another connection of this run may have recorded it meanwhile
      const again = hostKeyStatus(await readKnownHosts(h.knownHostsFiles), name, key)
      if (again.kind === 'known') return
      await appendKnownHost(target, name, key, h.hashKnownHosts)
      ctx.io.note(`mesos: added ${name} (${what}) to ${tilde(target, ctx.home)}`)
    })
  const others = status.otherTypes.length > 0 ? ` (it is known with ${status.otherTypes.map(shortType).join(', ')} keys)` : ''

  switch (h.strict) {
    case 'no':
    case 'accept-new':
      return record()
    case 'yes':
      throw new HostKeyRejected(`the host key of ${name} (${what}) is not in ${tilde(target, ctx.home)}${others}`, [
        'strict host key checking is "yes"; check the fingerprint, then connect once with --strict-host-key-checking accept-new',
      ])
    case 'ask': {
      if (!ctx.io.stdinIsTTY)
        throw new HostKeyRejected(`the host key of ${name} (${what}) is not known${others}, and there is no terminal to ask`, [
          'check the fingerprint, then connect once with --strict-host-key-checking accept-new',
        ])
      const answer = await ctx.serial.run(() =>
        askLine(
          ctx.io,
          `The authenticity of host '${name}' can't be established${others}.\n${what.replace(' key ', ' key fingerprint is ')}.\nAre you sure you want to continue connecting (yes/no/[fingerprint])? `,
        ),
      )
      const a = answer.trim()
      if (a.toLowerCase() === 'yes' || a === fingerprint(key)) return record()
      throw new HostKeyRejected(`host key of ${name} not accepted`)
    }
  }
}
