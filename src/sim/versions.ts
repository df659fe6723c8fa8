/** What changes with the simulated Mesos version (reference §0–§4, "older behavior"). */
export type SimVersion = '1.11.0' | '1.7.0' | '0.28.0'
export const VERSIONS: readonly SimVersion[] = ['1.11.0', '1.7.0', '0.28.0']

export interface Behaviour {
  version: SimVersion
  /** `.json` aliases: served from 0.25 to 1.7.x, removed in 1.8 */
  jsonRoutes: boolean
  /** stout's writer before 1.7: `%#.*g` doubles, `\/` */
  legacyJson: boolean
  /** before 1.0 a follower answers /master/state with its own, empty state */
  followerOwnState: boolean
  /** 0.28: /master/redirect falls back to the answering master when no leader is known */
  redirectToSelfWithoutLeader: boolean
  /** 1.1+: /files/read past EOF echoes the requested offset */
  echoOffsetPastEof: boolean
  /** 1.5+: /frameworks/<fw>/executors/<ex>/runs/latest */
  frameworksVirtualPath: boolean
  /** 1.0+: /api/v1 */
  v1Api: boolean
  /** 1.4+: framework_id / task_id / slave_id filters */
  idFilters: boolean
  build: { date: string; time: number; sha: string; tag: string }
}

export function behaviour(version: SimVersion): Behaviour {
  const [maj = 0, min = 0] = version.split('.').map(Number)
  const v = maj * 100 + min
  const builds: Record<SimVersion, Behaviour['build']> = {
    '1.11.0': {
      date: '2020-11-19 22:36:40',
      time: 1605825400,
      sha: 'c21c1c9a1eaa1da49d4b5155f4e76b5cb69dbb45',
      tag: '1.11.0',
    },
    '1.7.0': {
      date: '2018-09-20 17:11:05',
      time: 1537463465,
      sha: '5b9d3ec0cde2a8ee5fba1b5ae87a6efe52e38fd0',
      tag: '1.7.0',
    },
    '0.28.0': {
      date: '2016-03-14 22:08:21',
      time: 1457993301,
      sha: '961edbd82e691a619a4c171a7aadc9c32957fa73',
      tag: '0.28.0',
    },
  }
  return {
    version,
    jsonRoutes: v < 108,
    legacyJson: v < 107,
    followerOwnState: v < 100,
    redirectToSelfWithoutLeader: v < 100,
    echoOffsetPastEof: v >= 101,
    frameworksVirtualPath: v >= 105,
    v1Api: v >= 100,
    idFilters: v >= 104,
    build: builds[version],
  }
}
