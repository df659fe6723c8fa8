/**
 * Opening an authenticated ssh2 connection to a host, through its jump hosts: each hop is a
 * connection of its own (verified and authenticated like the destination), and the next one runs
 * over a `forwardOut` channel of the previous. Every failure becomes one `mesos: ...` line that says
 * which host, and what went wrong.
 */
import type { Client, ServerHostKeyAlgorithm } from 'ssh2'
import { failure, MesosError } from '../errors.js'
import type { IO } from '../output/io.js'
import { authHandler } from './auth.js'
import type { SshConfigFile } from './config.js'
import { knownHostName, knownKeyTypes, readKnownHosts } from './known-hosts.js'
import { type Context, type HostOptions, type ProfileSsh, resolveHost, type SshFlags } from './options.js'
import { HostKeyRejected, type Serial, type Serializer, verifyHostKey } from './verify.js'

/** What every connection of one run shares. */
export interface SshRun extends Context {
  io: IO
  env: NodeJS.ProcessEnv
  flags: SshFlags
  profile: ProfileSsh
  config: SshConfigFile
  serial: Serial
  warnOnce(text: string): void
  debug?: (line: string) => void
}

export interface Route {
  dest: HostOptions
  hops: HostOptions[]
}

export async function resolveRoute(run: SshRun, alias: string): Promise<Route> {
  const dest = resolveHost(alias, await run.config.compute(alias), run, { flags: run.flags, profile: run.profile })
  const hops: HostOptions[] = []
  for (const hop of dest.jump) {
    hops.push(
      resolveHost(hop.host, await run.config.compute(hop.host), run, {
        flags: { strictHostKeyChecking: run.flags.strictHostKeyChecking },
        profile: { user: run.profile.user, strict: run.profile.strict },
        hop,
        sharedIdentities: dest.identitiesExplicit ? dest.identityFiles : undefined,
      }),
    )
  }
  return { dest, hops }
}

export const hostLabel = (h: HostOptions) =>
  h.alias === h.hostname ? `${h.hostname}:${h.port}` : `${h.alias} (${h.hostname}:${h.port})`

const PREFERRED_HOST_KEYS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
]

/** Host key algorithms with those of the recorded keys first, so a known host presents a known key. */
function hostKeyOrder(known: string[]): ServerHostKeyAlgorithm[] {
  const wanted = (a: string) => known.includes(a) || (a.startsWith('rsa-sha2-') && known.includes('ssh-rsa'))
  return [...PREFERRED_HOST_KEYS.filter(wanted), ...PREFERRED_HOST_KEYS.filter((a) => !wanted(a))]
}

/** ssh2 is CommonJS: Node's ESM loader does not see every named export; the default (module.exports) has them all. */
async function loadSsh2() {
  return (await import('ssh2')).default
}

interface SshError extends Error {
  code?: string
  level?: string
}

function describe(err: SshError, h: HostOptions, tried: string[], serverMethods: string[] | undefined): MesosError {
  const label = hostLabel(h)
  switch (err.code) {
    case 'ECONNREFUSED':
      return failure(`cannot reach ${label}: connection refused`)
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return failure(`cannot reach ${label}: unknown host ${h.hostname}`)
    case 'ETIMEDOUT':
      return failure(`cannot reach ${label}: timed out`)
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return failure(`cannot reach ${label}: no route to host`)
    case 'ECONNRESET':
      return failure(`connection to ${label} was reset`)
  }
  if (err.level === 'client-authentication') {
    const accepts = serverMethods?.length ? `; the server accepts ${serverMethods.join(', ')}` : ''
    const what = tried.length > 0 ? `tried ${tried.join(', ')}` : 'no key found to try'
    return failure(`permission denied for ${h.user}@${label} (${what}${accepts})`, [
      'choose a key with --identity-file, a user with -l, or add your key to ssh-agent',
    ])
  }
  return failure(`ssh to ${label} failed: ${err.message}`, [], err)
}

/**
 * OpenSSH's ConnectTimeout for the TCP connection and the SSH handshake, stopped while a question
 * is on the terminal (ssh2's own readyTimeout would run out while the user reads a fingerprint).
 */
class Deadline {
  private timer?: NodeJS.Timeout
  private paused = 0

  constructor(
    private readonly ms: number,
    private readonly expire: () => void,
  ) {
    this.start()
  }

  private start(): void {
    this.timer = setTimeout(this.expire, this.ms)
  }

  pause(): void {
    if (this.paused++ === 0) clearTimeout(this.timer)
  }

  resume(): void {
    if (--this.paused === 0) this.start()
  }

  clear(): void {
    clearTimeout(this.timer)
    this.paused = Number.POSITIVE_INFINITY
  }
}

async function connectOne(run: SshRun, h: HostOptions, sock?: NodeJS.ReadableStream): Promise<Client> {
  const { Client, utils } = await loadSsh2()
  const known = knownKeyTypes(
    await readKnownHosts([...h.knownHostsFiles, ...h.globalKnownHostsFiles]),
    knownHostName(h.hostname, h.port),
  )
  const tried: string[] = []
  const serverMethods: { value?: string[] } = {}
  let rejected: HostKeyRejected | undefined
  const client = new Client()
  return new Promise<Client>((resolve, reject) => {
    let ready = false
    let connected = sock !== undefined
    const deadline = new Deadline(h.connectTimeoutSec * 1000, () => {
      reject(
        connected
          ? failure(`cannot reach ${hostLabel(h)}: no SSH handshake within ${h.connectTimeoutSec} s`)
          : failure(`cannot reach ${hostLabel(h)}: timed out after ${h.connectTimeoutSec} s`, [
              'set ConnectTimeout in ~/.ssh/config for slow networks',
            ]),
      )
      client.destroy()
    })
    const serial: Serializer = {
      run: (fn) => {
        deadline.pause()
        return run.serial.run(fn).finally(() => deadline.resume())
      },
    }
    const ctx = { ...run, serial }
    client.on('connect', () => {
      connected = true
    })
    client.on('ready', () => {
      ready = true
      deadline.clear()
      resolve(client)
    })
    client.on('error', (err: SshError) => {
      // a missing or broken agent is not fatal: ssh2 goes on with the next method
      if (err.level === 'agent') return run.debug?.(`ssh-agent: ${err.message}`)
      if (ready) return run.debug?.(`ssh ${hostLabel(h)}: ${err.message}`)
      deadline.clear()
      if (rejected) return reject(new MesosError('failure', rejected.message, { hints: rejected.hints }))
      reject(describe(err, h, tried, serverMethods.value))
    })
    client.on('close', () => {
      deadline.clear()
      if (!ready) reject(failure(`connection to ${hostLabel(h)} closed during the SSH handshake`))
    })
    client.connect({
      host: h.hostname,
      port: h.port,
      username: h.user,
      sock: sock as never,
      readyTimeout: 0,
      keepaliveInterval: 30_000,
      algorithms: { serverHostKey: hostKeyOrder(known) },
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        verifyHostKey(ctx, h, key).then(
          () => verify(true),
          (err: unknown) => {
            if (err instanceof HostKeyRejected) rejected = err
            else rejected = new HostKeyRejected(`cannot check the host key of ${hostLabel(h)}: ${(err as Error).message}`)
            verify(false)
          },
        )
      },
      authHandler: authHandler({ ...ctx, parseKey: utils.parseKey }, h, tried, serverMethods),
      debug: run.debug ? (line: string) => run.debug?.(`ssh2 ${hostLabel(h)}: ${line}`) : undefined,
    })
  })
}

function forward(client: Client, to: HostOptions, via: HostOptions): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, to.hostname, to.port, (err, channel) => {
      if (err) {
        const reason = err.message.replace(/^\(SSH\)\s*/, '').replace(/^Channel open failure:\s*/i, '')
        return reject(failure(`jump host ${hostLabel(via)} cannot reach ${hostLabel(to)}: ${reason.toLowerCase()}`))
      }
      resolve(channel)
    })
  })
}

/** An open connection to `route.dest`; closing it closes the jump connections under it. */
export async function connect(run: SshRun, route: Route): Promise<Client> {
  const opened: Client[] = []
  try {
    let previous: Client | undefined
    for (const [i, h] of [...route.hops, route.dest].entries()) {
      const via = i > 0 ? route.hops[i - 1] : undefined
      const sock = previous && via ? await forward(previous, h, via) : undefined
      try {
        previous = await connectOne(run, h, sock)
      } catch (err) {
        if (i < route.hops.length && err instanceof MesosError)
          throw new MesosError(err.kind, `jump host ${hostLabel(h)}: ${err.message}`, { hints: err.hints })
        throw err
      }
      opened.push(previous)
    }
    const dest = opened.at(-1)!
    dest.once('close', () => {
      for (const c of opened.slice(0, -1).reverse()) c.end()
    })
    return dest
  } catch (err) {
    for (const c of opened.reverse()) c.end()
    throw err
  }
}
