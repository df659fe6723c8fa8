/** Masters contending in ZooKeeper: one session each, so a failover is a closed session. */
import type { MasterInfo } from './world.js'
import {
  children,
  connectZk,
  ensurePath,
  join,
  leaderOf,
  parseZkUrl,
  remove,
  type ZkClient,
  type ZkUrl,
} from './zk.js'

export class ZkElection {
  private url: ZkUrl
  private watcher?: ZkClient
  private members = new Map<number, { client: ZkClient; node: string }>()
  private created: string[] = []
  private masters: MasterInfo[] = []
  private closed = false

  constructor(
    zk: string,
    private readonly dataFor: (m: MasterInfo) => string,
    private readonly onLeader: (index: number | undefined) => void,
  ) {
    this.url = parseZkUrl(zk)
  }

  async start(masters: MasterInfo[]): Promise<void> {
    this.masters = masters
    this.watcher = await connectZk(this.url)
    this.created = await ensurePath(this.watcher, this.url)
    for (const m of masters) await this.joinMaster(m)
    await this.watch()
  }

  private async joinMaster(m: MasterInfo): Promise<void> {
    const client = await connectZk(this.url)
    const path = await join(client, this.url, this.dataFor(m))
    this.members.set(m.index, { client, node: path.slice(path.lastIndexOf('/') + 1) })
  }

  private async watch(): Promise<void> {
    if (this.closed || !this.watcher) return
    let names: string[]
    try {
      names = await children(this.watcher, this.url.path, () => {
        this.watch().catch(() => {})
      })
    } catch {
      return
    }
    const leader = leaderOf(names)
    let index: number | undefined
    for (const [i, m] of this.members) if (m.node === leader) index = i
    this.onLeader(index)
  }

  /** Closes the leader's session; its node vanishes, the next lowest leads; it re-joins as a follower. */
  async failover(): Promise<void> {
    const names = await children(this.watcher!, this.url.path)
    const leader = leaderOf(names)
    const entry = [...this.members].find(([, m]) => m.node === leader)
    if (!entry) return
    const [index, member] = entry
    this.members.delete(index)
    member.client.close()
    await this.joinMaster(this.masters[index]!)
    await this.watch()
  }

  async stop(): Promise<void> {
    this.closed = true
    const ours = new Set([...this.members.values()].map((m) => m.node))
    for (const m of this.members.values()) m.client.close()
    this.members.clear()
    const w = this.watcher
    if (!w) return
    // our ephemeral nodes go with their sessions; wait, then remove the path nodes we created
    const deadline = Date.now() + 3000
    while (Date.now() < deadline) {
      const left = await children(w, this.url.path).catch(() => [] as string[])
      if (!left.some((n) => ours.has(n))) break
      await new Promise((r) => setTimeout(r, 20))
    }
    for (const p of [...this.created].reverse()) await remove(w, p)
    w.close()
  }
}
