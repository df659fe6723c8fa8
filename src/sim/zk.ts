/**
 * Leader election the way Mesos masters do it: each master joins the group at the URL's path with
 * an ephemeral sequential `json.info_` child holding JSON MasterInfo; the lowest sequence leads.
 */
import zookeeper from 'node-zookeeper-client'

type Client = ReturnType<typeof zookeeper.createClient>

export interface ZkUrl {
  servers: string
  path: string
  auth?: string
}

export function parseZkUrl(url: string): ZkUrl {
  const u = url.trim()
  if (!u.startsWith('zk://')) throw new Error(`Expecting 'zk://' at the beginning of the URL: ${url}`)
  const rest = u.slice(5)
  const slash = rest.indexOf('/')
  if (slash < 0) throw new Error(`Expecting a (chroot) path for ZooKeeper: ${url}`)
  const hostPart = rest.slice(0, slash)
  const path = rest.slice(slash).replace(/\/+$/, '')
  if (path === '') throw new Error(`Expecting a (chroot) path for ZooKeeper: ${url}`)
  const at = hostPart.lastIndexOf('@')
  return at >= 0
    ? { servers: hostPart.slice(at + 1), path, auth: hostPart.slice(0, at) }
    : { servers: hostPart, path }
}

const OPEN = () => [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('world', 'anyone'))]
/** With digest credentials Mesos uses EVERYONE_READ_CREATOR_ALL: anyone may read the leader. */
const READ_CREATOR_ALL = () => [
  new zookeeper.ACL(zookeeper.Permission.READ, new zookeeper.Id('world', 'anyone')),
  new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('auth', '')),
]
const aclFor = (url: ZkUrl) => (url.auth ? READ_CREATOR_ALL() : OPEN())

export async function connectZk(url: ZkUrl, timeoutMs = 10_000): Promise<Client> {
  const client = zookeeper.createClient(url.servers, { sessionTimeout: 10_000, spinDelay: 200, retries: 1 })
  if (url.auth) client.addAuthInfo('digest', Buffer.from(url.auth))
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      client.close()
      reject(new Error(`cannot connect to ZooKeeper at ${url.servers} within ${timeoutMs} ms`))
    }, timeoutMs)
    client.once('connected', () => {
      clearTimeout(t)
      resolve()
    })
    client.connect()
  })
  return client
}

const cb =
  <T>(resolve: (v: T) => void, reject: (e: unknown) => void) =>
  (err: unknown, v: T) =>
    err ? reject(err) : resolve(v)

export function exists(c: Client, path: string): Promise<boolean> {
  return new Promise((res, rej) => c.exists(path, (e, stat) => (e ? rej(e) : res(Boolean(stat)))))
}

/** Creates the group path (recursively, persistent, like the master); returns the nodes it created. */
export async function ensurePath(c: Client, url: ZkUrl): Promise<string[]> {
  const path = url.path
  const created: string[] = []
  let cur = ''
  for (const part of path.split('/').filter(Boolean)) {
    cur += `/${part}`
    if (await exists(c, cur)) continue
    await new Promise<void>((res, rej) =>
      c.create(cur, Buffer.alloc(0), aclFor(url), zookeeper.CreateMode.PERSISTENT, (e) => {
        if (e && (e as { getCode?: () => number }).getCode?.() !== zookeeper.Exception.NODE_EXISTS) rej(e)
        else res()
      }),
    )
    created.push(cur)
  }
  return created
}

export function join(c: Client, url: ZkUrl, data: string): Promise<string> {
  return new Promise((res, rej) =>
    c.create(
      `${url.path}/json.info_`,
      Buffer.from(data),
      aclFor(url),
      zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
      cb(res, rej),
    ),
  )
}

export function children(c: Client, path: string, watch?: () => void): Promise<string[]> {
  return new Promise((res, rej) => {
    if (watch) c.getChildren(path, () => watch(), cb(res, rej))
    else c.getChildren(path, cb(res, rej))
  })
}

export function remove(c: Client, path: string): Promise<void> {
  return new Promise((res) => c.remove(path, -1, () => res()))
}

/** The leading child: the lowest sequence among `<label>_<digits>` or all-digit names. */
export function leaderOf(names: string[]): string | undefined {
  let best: { name: string; seq: number } | undefined
  for (const name of names) {
    const m = /(?:^|_)(\d+)$/.exec(name)
    if (!m) continue
    const seq = Number(m[1])
    if (!best || seq < best.seq) best = { name, seq }
  }
  return best?.name
}

export type { Client as ZkClient }
