/**
 * A container's CPU accounting as the cgroups isolators read it for `/monitor/statistics`
 * (isolators/cgroups/subsystems/cpuacct.cpp and cpu.cpp): `cpuacct.stat` user and system time in
 * clock ticks (USER_HZ, 100 a second) and CFS' `cpu.stat` nr_periods, nr_throttled and
 * throttled_time. These are cumulative kernel counters: for a running container they never go
 * back, and between two samples they grow by the CPU the container used in between.
 *
 * So the simulator decides how much CPU a container uses at each instant (`cpuUsage`, a smooth
 * share of its `cpus`, under the limit as a CFS quota would keep it) and reports the counters as
 * the exact integral of that usage from the container's launch to the sample's time: the delta
 * of two samples over the delta of their `timestamp`s is the usage in between, up to a tick.
 */
import type { Executor } from '../model.js'

/** sysconf(_SC_CLK_TCK): cpuacct.stat counts in these. */
const TICKS_PER_SECOND = 100
/** cpu.cfs_period_us: 100 ms, the default Mesos keeps. */
const CFS_PERIOD_SECS = 0.1

/** Share of `cpus` spent in user mode: BASE ± SWING, swinging once every CYCLE seconds. */
const USER_BASE = 0.3
const USER_SWING = 0.05
const SYSTEM_SHARE = 0.05
const CYCLE_SECS = 600
const OMEGA = (2 * Math.PI) / CYCLE_SECS

/** One period in THROTTLE_EVERY periods hits the quota and waits THROTTLED_SECS of it. */
const THROTTLE_EVERY = 300
const THROTTLED_SECS = 0.02

export interface CpuCounters {
  /** cpus_user_time_secs, whole ticks */
  user: number
  /** cpus_system_time_secs, whole ticks */
  system: number
  /** cpus_nr_periods */
  periods: number
  /** cpus_nr_throttled */
  throttled: number
  /** cpus_throttled_time_secs */
  throttledSecs: number
}

/** Where in its cycle a container starts: fixed per container run, different between runs. */
function phaseOf(ex: Executor): number {
  let h = 0x811c9dc5
  const s = ex.containerId || ex.id
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0
  return (h / 2 ** 32) * 2 * Math.PI
}

/** The share of its `cpus` the container spends in user mode at `at`: 0.25 to 0.35. */
export function userShare(ex: Executor, at: number): number {
  return USER_BASE + USER_SWING * Math.sin(OMEGA * at + phaseOf(ex))
}

/** CPUs the container uses at `at` (seconds since the epoch): 0.30 to 0.40 of its `cpus`. */
export function cpuUsage(ex: Executor, at: number): number {
  if (at <= ex.launchedAt) return 0
  return ex.resources.cpus * (userShare(ex, at) + SYSTEM_SHARE)
}

/** The counters at `at`: integrals of `cpuUsage` since launch, floored as the kernel counts them. */
export function cpuCounters(ex: Executor, at: number): CpuCounters {
  const up = Math.max(0, at - ex.launchedAt)
  const start = at - up
  const cpus = ex.resources.cpus
  const phase = phaseOf(ex)
  // ∫ cpus·(BASE + SWING·sin(ωt+φ)) dt from start to at
  const user =
    cpus * (USER_BASE * up + (USER_SWING / OMEGA) * (Math.cos(OMEGA * start + phase) - Math.cos(OMEGA * at + phase)))
  const system = cpus * SYSTEM_SHARE * up
  const periods = Math.floor(up / CFS_PERIOD_SECS)
  const throttled = Math.floor(periods / THROTTLE_EVERY)
  return {
    user: Math.floor(Math.max(0, user) * TICKS_PER_SECOND) / TICKS_PER_SECOND,
    system: Math.floor(system * TICKS_PER_SECOND) / TICKS_PER_SECOND,
    periods,
    throttled,
    throttledSecs: Math.round(throttled * THROTTLED_SECS * 1e9) / 1e9,
  }
}
