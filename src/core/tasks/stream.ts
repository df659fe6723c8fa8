/**
 * Reading `/master/state` as a stream: on a big cluster the document is tens or hundreds of
 * megabytes, so the index is built by the byte-level scanner from the pieces as they arrive, and
 * keeps only what was asked for (every task, or the tasks a filter selects).
 */
import type { Deps } from '../deps/index.js'
import { failure } from '../errors.js'
import { leaderAddress, leaderEndpoint } from '../master/resolve.js'
import { addressFromPid } from '../master/spec.js'
import { type CollectOptions, type Collected, IndexCollector } from './collect.js'
import type { TaskIndex } from './model.js'
import { ScanError, StateScanner } from './scan.js'
import { wrongAnswer } from '../http/validate.js'

/** Scans a `/master/state` body; a body that is not such a document throws a ScanError. */
export async function collectState(body: AsyncIterable<Uint8Array>, opts: CollectOptions = {}): Promise<Collected> {
  const collector = new IndexCollector(opts)
  const scanner = new StateScanner(collector)
  for await (const chunk of body) scanner.write(chunk)
  scanner.end()
  return collector.result()
}

export interface FetchedIndex {
  /** The kept tasks with the agents and frameworks they reference (every task without `keep`). */
  index: TaskIndex
  /** The whole index, when it was kept (see `CollectOptions.fullUpTo`). */
  full?: TaskIndex
  ids?: Collected['ids']
  allAgents: TaskIndex['agents']
}

/**
 * The task index from the leading master. Before 1.0 a follower answered with its own, empty state
 * naming the leader: then the leader is asked.
 */
export async function fetchTaskIndex(deps: Deps, opts: CollectOptions = {}): Promise<FetchedIndex> {
  const master = deps.master()
  for (let hop = 0; hop < 2; hop++) {
    const collector = new IndexCollector(opts)
    const scanner = new StateScanner(collector)
    let got: Collected
    try {
      // read off the socket into a reused buffer and scanned as it arrives (the index copies what it keeps)
      const res = await master.stream('/master/state', (piece) => scanner.write(piece))
      if (typeof res !== 'number') await deps.http().expectOk(leaderEndpoint(await master.leader()), res)
      scanner.end()
      got = collector.result()
    } catch (err) {
      if (err instanceof ScanError || err instanceof RangeError) {
        throw wrongAnswer(leaderEndpoint(await master.leader()), '/master/state', 'an unexpected answer', err.message)
      }
      throw err
    }
    const leader = await master.leader()
    const named = got.leader && got.pid && got.leader !== got.pid ? addressFromPid(got.leader) : undefined
    if (named) {
      deps.debug(`master ${got.pid} is not the leader; asking ${got.leader}`)
      await master.moveTo(named)
      continue
    }
    const at = leaderAddress(leader)
    const now = deps.clock.now()
    const out: FetchedIndex = {
      index: { master: at, fetchedAt: now, tasks: got.tasks, frameworks: got.frameworks, agents: got.agents },
      allAgents: got.allAgents,
    }
    if (got.full) out.full = { master: at, fetchedAt: now, ...got.full }
    if (got.ids) out.ids = got.ids
    return out
  }
  throw failure('the masters disagree about who leads; try again')
}
