/**
 * Reading the leading master from ZooKeeper. node-zookeeper-client retries a dead server forever
 * without a word, so the whole lookup (connect, list, read) runs under our own `zk_timeout` timer,
 * and the client is always closed.
 */
import { masterError } from '../errors.js'
import { chooseLeader, type Member, membersByAge } from './leader.js'
import { decodeMasterInfo, type MasterAddress, MasterInfoError } from './masterinfo.js'
import type { ZkSpec } from './spec.js'

export interface ZkLeader extends MasterAddress {
  node: string
}

export interface ZkOptions {
  timeoutSec: number
  debug?: (line: string) => void
  signal?: AbortSignal
}

type ZkModule = typeof import('node-zookeeper-client')
type ZkClient = ReturnType<ZkModule['createClient']>

export function zkUrl(spec: ZkSpec): string {
  return `zk://${spec.auth ? `${spec.auth.user}:********@` : ''}${spec.servers.join(',')}${spec.path}`
}

function codeOf(err: unknown): number | undefined {
  const e = err as { getCode?: () => number; code?: number }
  return typeof e?.getCode === 'function' ? e.getCode() : typeof e?.code === 'number' ? e.code : undefined
}

export async function readZkLeader(spec: ZkSpec, opts: ZkOptions): Promise<ZkLeader> {
  const mod = (await import('node-zookeeper-client')) as unknown as { default?: ZkModule } & ZkModule
  const zk = mod.default ?? mod
  const url = zkUrl(spec)
  const servers = spec.servers.join(',')
  const timeoutMs = Math.min(Math.round(opts.timeoutSec * 1000), 2 ** 31 - 1)
  opts.debug?.(`> zookeeper ${url}: connect (timeout ${opts.timeoutSec}s)`)
  const client: ZkClient = zk.createClient(servers, {
    sessionTimeout: Math.max(timeoutMs, 4000),
    spinDelay: 200,
  })
  if (spec.auth) client.addAuthInfo('digest', Buffer.from(`${spec.auth.user}:${spec.auth.password}`))

  let connected = false
  let timer: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        connected
          ? masterError(`ZooKeeper ${servers} did not answer within ${opts.timeoutSec}s for ${spec.path}`)
          : masterError(`cannot connect to ZooKeeper ${servers} within ${opts.timeoutSec}s`, [
              'check the zk:// hosts, or raise zk_timeout (mesos config zk_timeout SECONDS)',
            ]),
      )
    }, timeoutMs)
    if (opts.signal) {
      onAbort = () => reject(opts.signal?.reason ?? new Error('aborted'))
      opts.signal.addEventListener('abort', onAbort, { once: true })
    }
  })
  const connect = new Promise<void>((resolve, reject) => {
    client.once('connected', () => {
      connected = true
      resolve()
    })
    client.once('authenticationFailed', () =>
      reject(masterError(`ZooKeeper ${servers} rejected the credentials in ${url}`)),
    )
  })
  client.connect()

  const children = (path: string) =>
    new Promise<string[]>((resolve, reject) =>
      client.getChildren(path, (err, list) => (err ? reject(err) : resolve(list))),
    )
  const data = (path: string) =>
    new Promise<Buffer>((resolve, reject) =>
      client.getData(path, (err, buf) => (err ? reject(err) : resolve(buf ?? Buffer.alloc(0)))),
    )

  const lookup = async (): Promise<ZkLeader> => {
    await connect
    opts.debug?.(`< zookeeper ${servers}: connected`)
    // The leader can vanish between listing and reading (a failover): list again, a few times.
    for (let attempt = 0; attempt < 3; attempt++) {
      let names: string[]
      try {
        names = await children(spec.path)
      } catch (err) {
        throw pathError(err, spec, zk, url)
      }
      opts.debug?.(`< zookeeper ls ${spec.path}: ${names.length} children`)
      const leader: Member | undefined = chooseLeader(names)
      if (!leader) {
        throw masterError(`no masters registered under ${url}`, [
          names.length
            ? `children found: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}`
            : 'are the masters running with --zk pointing here?',
        ])
      }
      const node = `${spec.path}/${leader.name}`
      let buf: Buffer
      try {
        buf = await data(node)
      } catch (err) {
        if (codeOf(err) === zk.Exception.NO_NODE) continue
        throw pathError(err, spec, zk, url, node)
      }
      opts.debug?.(`< zookeeper get ${node}: ${buf.length} bytes (of ${membersByAge(names).length} members)`)
      try {
        return { ...decodeMasterInfo(leader.label, buf), node }
      } catch (err) {
        if (err instanceof MasterInfoError) {
          throw masterError(`undecodable data in ZooKeeper node ${node}: ${err.message}`)
        }
        throw err
      }
    }
    throw masterError(`the leading master under ${url} kept changing; try again`)
  }

  try {
    return await Promise.race([lookup(), deadline])
  } finally {
    if (timer) clearTimeout(timer)
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort)
    shutdown(client, connected)
  }
}

interface ConnectionInternals {
  connect?: () => void
  connectTimeoutHandler?: NodeJS.Timeout
  socket?: { destroy(): void }
}

/**
 * A connected client closes its session. One that never connected has no session to close (and its
 * `close()` throws), but keeps reconnecting forever and would hold the process open: stop that loop.
 */
function shutdown(client: ZkClient, connected: boolean): void {
  if (connected) {
    try {
      client.close()
    } catch {
      // the session is gone anyway
    }
    return
  }
  const cm = (client as unknown as { connectionManager?: ConnectionInternals }).connectionManager
  if (!cm) return
  cm.connect = () => {}
  if (cm.connectTimeoutHandler) clearTimeout(cm.connectTimeoutHandler)
  cm.socket?.destroy()
}

function pathError(err: unknown, spec: ZkSpec, zk: ZkModule, url: string, node = spec.path) {
  const code = codeOf(err)
  if (code === zk.Exception.NO_NODE) {
    return masterError(
      `no ZooKeeper node ${node} on ${spec.servers.join(',')}`,
      spec.path.endsWith('/mesos') ? [] : ['did you forget /mesos? (e.g. zk://host:2181/mesos)'],
    )
  }
  if (code === zk.Exception.NO_AUTH) {
    return masterError(`ZooKeeper denied reading ${node}`, [
      spec.auth
        ? 'the credentials in the zk:// URL are not allowed to read it'
        : 'add digest credentials: zk://user:password@host:2181/path',
    ])
  }
  if (code === zk.Exception.AUTH_FAILED) return masterError(`ZooKeeper rejected the credentials in ${url}`)
  return masterError(`ZooKeeper error reading ${node}: ${(err as Error).message ?? String(err)}`)
}
