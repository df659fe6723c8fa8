/**
 * Client authentication, in OpenSSH's order: the keys of the agent at `SSH_AUTH_SOCK` (unless
 * `IdentitiesOnly`), then each identity file. An encrypted key asks for its passphrase on a
 * terminal, only when its turn comes. What was tried is recorded for the error message (file names,
 * never key material or passphrases).
 */
import { readFile } from 'node:fs/promises'
import type { AnyAuthMethod, AuthHandlerMiddleware, NextAuthHandler } from 'ssh2'
import type { IO } from '../output/io.js'
import type { HostOptions } from './options.js'
import { askSecret } from './prompt.js'
import { type Serializer, tilde } from './verify.js'

export interface AuthContext {
  io: IO
  /** A warning printed once per run (scp meets the same missing key on every agent). */
  warnOnce(text: string): void
  env: NodeJS.ProcessEnv
  home: string
  serial: Serializer
  parseKey(data: Buffer, passphrase?: string): unknown
}

type Attempt = () => Promise<AnyAuthMethod | undefined>

const isError = (v: unknown): v is Error => v instanceof Error
const needsPassphrase = (e: Error) => /no passphrase given/i.test(e.message)
const badPassphrase = (e: Error) => /bad passphrase|integrity check failed|bad decrypt/i.test(e.message)

async function identity(ctx: AuthContext, h: HostOptions, file: string, tried: string[]): Promise<AnyAuthMethod | undefined> {
  let data: Buffer
  try {
    data = await readFile(file)
  } catch (err) {
    if (h.identitiesExplicit) ctx.warnOnce(`identity file ${tilde(file, ctx.home)} not accessible: ${(err as NodeJS.ErrnoException).code ?? 'error'}`)
    return undefined
  }
  const shown = tilde(file, ctx.home)
  const parsed = ctx.parseKey(data)
  if (!isError(parsed)) {
    tried.push(shown)
    return { type: 'publickey', username: h.user, key: data }
  }
  if (!needsPassphrase(parsed)) {
    ctx.warnOnce(`identity file ${shown} is not a private key ssh2 can read: ${parsed.message}`)
    return undefined
  }
  if (!ctx.io.stdinIsTTY) {
    tried.push(`${shown} (encrypted; no terminal to ask for its passphrase)`)
    return undefined
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const passphrase = await ctx.serial.run(() => askSecret(ctx.io, `Enter passphrase for key '${shown}': `))
    if (passphrase === '') break
    const key = ctx.parseKey(data, passphrase)
    if (!isError(key)) {
      tried.push(shown)
      return { type: 'publickey', username: h.user, key: data, passphrase }
    }
    if (!badPassphrase(key)) break
    ctx.io.note('Bad passphrase, try again.')
  }
  tried.push(`${shown} (no passphrase)`)
  return undefined
}

/** An ssh2 `authHandler` that walks the attempts in order and records them in `tried`. */
export function authHandler(
  ctx: AuthContext,
  h: HostOptions,
  tried: string[],
  serverMethods: { value?: string[] },
): AuthHandlerMiddleware {
  const attempts: Attempt[] = []
  const sock = ctx.env.SSH_AUTH_SOCK
  if (sock && !h.identitiesOnly)
    attempts.push(async () => {
      tried.push('ssh-agent')
      return { type: 'agent', username: h.user, agent: sock }
    })
  for (const file of h.identityFiles) attempts.push(() => identity(ctx, h, file, tried))

  // ssh2 takes `false` for "nothing left to try", which its types do not admit
  const giveUp = (next: NextAuthHandler) => next(false as unknown as AnyAuthMethod)
  return (methodsLeft, _partial, next) => {
    // null before the server has answered the first attempt
    const left = methodsLeft as string[] | null
    if (left) serverMethods.value = left
    void (async () => {
      if (left && !left.includes('publickey')) return giveUp(next)
      while (attempts.length > 0) {
        const auth = await attempts.shift()!()
        if (auth) return next(auth)
      }
      giveUp(next)
    })().catch(() => giveUp(next))
  }
}
