/**
 * The leader among the children of a Mesos ZooKeeper group: the member with the lowest sequence
 * number, whatever its label (`json.info_` since 0.24, `info_` in 0.17–0.23, none before). Other
 * children such as the replicated log's `log_replicas` are not members and are ignored.
 */

export interface Member {
  name: string
  /** `json.info`, `info`, or '' for the pre-0.17 unlabeled form. */
  label: string
  sequence: number
}

export function parseMember(name: string): Member | undefined {
  if (/^\d+$/.test(name)) return { name, label: '', sequence: Number(name) }
  const m = /^(.*)_(\d+)$/.exec(name)
  if (!m) return undefined
  return { name, label: m[1]!, sequence: Number(m[2]) }
}

/** Members sorted by sequence, lowest (the leader) first. ZooKeeper lists children unsorted. */
export function membersByAge(children: readonly string[]): Member[] {
  return children
    .map(parseMember)
    .filter((m): m is Member => m !== undefined)
    .sort((a, b) => a.sequence - b.sequence || a.name.localeCompare(b.name))
}

export function chooseLeader(children: readonly string[]): Member | undefined {
  return membersByAge(children)[0]
}
