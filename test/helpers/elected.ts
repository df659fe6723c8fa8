/** Two simulated masters elected through a real ZooKeeper: the setting for failover tests. */
import { type Simulator, type SimulatorOptions, startSimulator } from '../../src/sim/index.js'
import { startZooKeeper } from './zookeeper.js'

export interface ElectedCluster {
  sim: Simulator
  /** The `zk://` master spec of the cluster. */
  spec: string
  stop(): Promise<void>
}

export async function startElectedCluster(options: SimulatorOptions): Promise<ElectedCluster> {
  const zk = await startZooKeeper()
  const spec = `zk://${zk.connectString}/mesos`
  try {
    const sim = await startSimulator({ masters: 2, logIntervalMs: 0, liveEvents: false, ...options, zk: spec })
    return {
      sim,
      spec,
      stop: async () => {
        await sim.stop()
        await zk.stop()
      },
    }
  } catch (err) {
    await zk.stop()
    throw err
  }
}
