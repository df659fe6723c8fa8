/**
 * A real ZooKeeper server (Debian's `zookeeper` package) for tests: a private instance on a free
 * loopback port with a temporary data directory, and a small promise-based client to write znodes
 * the way Mesos masters write them.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import zookeeper from 'node-zookeeper-client'
import { freePort } from './ports.js'

const JAR = '/usr/share/java/zookeeper.jar'

export function zookeeperInstalled(): boolean {
  return existsSync(JAR)
}

export interface ZkServer {
  port: number
  connectString: string
  dir: string
  stop(): Promise<void>
}

function fourLetter(port: number, word: string): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port }, () => sock.write(word))
    let out = ''
    sock.on('data', (d) => {
      out += d.toString()
    })
    sock.on('end', () => resolve(out))
    sock.on('error', () => resolve(''))
    sock.setTimeout(1000, () => {
      sock.destroy()
      resolve('')
    })
  })
}

/**
 * How long a ZooKeeper may take to answer `ruok`: a JVM starting on two cores that a whole suite
 * keeps busy has taken over a minute. Hooks that start one allow this plus their own work.
 */
export const ZK_START_MS = 120_000
export const ZK_HOOK_MS = ZK_START_MS + 30_000

export async function startZooKeeper(): Promise<ZkServer> {
  if (!zookeeperInstalled()) throw new Error(`ZooKeeper is not installed (${JAR}); .ci/run installs it`)
  const dir = await mkdtemp(join(tmpdir(), 'mesos-zk-'))
  const port = await freePort()
  await writeFile(
    join(dir, 'zoo.cfg'),
    [
      'tickTime=2000',
      `dataDir=${join(dir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'admin.enableServer=false',
      '4lw.commands.whitelist=ruok,srvr,stat,mntr',
      'maxSessionTimeout=60000',
      '',
    ].join('\n'),
  )
  const classpath = `/etc/zookeeper/conf:${JAR}:/usr/share/java/zookeeper-jute.jar:/usr/share/java/slf4j-api.jar:/usr/share/java/log4j-1.2.jar`
  const child: ChildProcess = spawn(
    'java',
    [
      '-Xmx256m',
      '-Dzookeeper.log.dir=' + dir,
      '-cp',
      classpath,
      'org.apache.zookeeper.server.ZooKeeperServerMain',
      join(dir, 'zoo.cfg'),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  child.stderr?.on('data', (d) => {
    stderr += d.toString()
  })
  const deadline = Date.now() + ZK_START_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`ZooKeeper exited with ${child.exitCode}: ${stderr.slice(-500)}`)
    if ((await fourLetter(port, 'ruok')) === 'imok') break
    await new Promise((r) => setTimeout(r, 100))
  }
  if ((await fourLetter(port, 'ruok')) !== 'imok') {
    child.kill('SIGKILL')
    throw new Error(`ZooKeeper did not start on port ${port}: ${stderr.slice(-500)}`)
  }
  return {
    port,
    connectString: `127.0.0.1:${port}`,
    dir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))])
        if (child.exitCode === null) child.kill('SIGKILL')
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export type ZkClient = ReturnType<typeof zookeeper.createClient>

/** A connected client with promise wrappers for the few operations tests need. */
export async function zkConnect(connectString: string, auth?: string) {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 10_000, spinDelay: 100, retries: 1 })
  if (auth) client.addAuthInfo('digest', Buffer.from(auth))
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('zk connect timeout')), 10_000)
    client.once('connected', () => {
      clearTimeout(t)
      resolve()
    })
    client.connect()
  })
  const cb =
    <T>(resolve: (v: T) => void, reject: (e: unknown) => void) =>
    (err: unknown, v: T) =>
      err ? reject(err) : resolve(v)
  const open = [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('world', 'anyone'))]
  return {
    client,
    mkdirp: (path: string) =>
      new Promise<string>((res, rej) =>
        client.mkdirp(path, Buffer.alloc(0), open, zookeeper.CreateMode.PERSISTENT, cb(res, rej)),
      ),
    /** Creates `path` + a 10-digit sequence, ephemeral like a Mesos master's membership node. */
    createMember: (prefix: string, data: Buffer | string, acl = open) =>
      new Promise<string>((res, rej) =>
        client.create(
          prefix,
          Buffer.from(data),
          acl,
          zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
          cb(res, rej),
        ),
      ),
    create: (path: string, data: Buffer | string, acl = open) =>
      new Promise<string>((res, rej) =>
        client.create(path, Buffer.from(data), acl, zookeeper.CreateMode.PERSISTENT, cb(res, rej)),
      ),
    remove: (path: string) =>
      new Promise<void>((res, rej) => client.remove(path, -1, (e) => (e ? rej(e) : res()))),
    children: (path: string) => new Promise<string[]>((res, rej) => client.getChildren(path, cb(res, rej))),
    /** An ACL that lets only the `user:password` digest identity do anything. */
    digestAcl: (userPassword: string) => {
      const [user] = userPassword.split(':')
      const digest = createHash('sha1').update(userPassword).digest('base64')
      return [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('digest', `${user}:${digest}`))]
    },
    close: () => client.close(),
  }
}
