/**
 * `mesos sim up` in the foreground: start the simulator and its control endpoint, publish where to
 * find them, optionally save the leader in a profile, then run until a signal or the duration ends,
 * and clean up on every way out.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { failure } from '../core/errors.js'
import { onExit } from '../core/lifecycle.js'
import type { IO } from '../core/output/io.js'
import { startControl } from './control.js'
import { pointerFile } from './pointer.js'
import { type Simulator, type SimulatorOptions, startSimulator } from './simulator.js'

export interface UpOptions extends SimulatorOptions {
  scenarioName: string
  controlPort: number
  durationSec?: number
  /** The profile `saveProfile` writes to, for the hint printed at start. */
  profileName?: string
  /** Saves the leader (and its CA and credentials) in the profile; answers what it did. */
  saveProfile?: (spec: string, caFile: string | undefined) => Promise<string>
}

export async function runSimulatorUp(io: IO, o: UpOptions): Promise<void> {
  let sim: Simulator
  try {
    sim = await startSimulator(o)
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    if (err.code === 'EADDRINUSE') throw failure(`port ${o.port} is in use`, ['pick another with --port, or --port 0 for free ports'])
    throw failure(`cannot start the simulator: ${err.message}`)
  }
  const control = await startControl(sim, o.controlPort)
  const pointer = pointerFile()
  writeFileSync(pointer, JSON.stringify({ control: control.url, leader: sim.leader?.address, pid: process.pid }))
  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      rmSync(pointer, { force: true })
      await control.close()
      await sim.stop()
    })()
    return stopping
  }
  // last resort if the process exits without the async stop
  onExit(() => {
    rmSync(pointer, { force: true })
    if (!o.workdir) rmSync(sim.workdir, { recursive: true, force: true })
  })
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(sig)
    process.once(sig, () => {
      void stop().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143))
    })
  }

  const leader = sim.leader!
  const spec = o.zk ?? (sim.scheme === 'https' ? leader.url : leader.address)
  const saved = o.saveProfile ? await o.saveProfile(spec, sim.caFile) : undefined
  if (saved) io.note(saved)
  await io.out(`leader: ${leader.address}\n`)
  await io.out(`try: ${o.profileName ? `mesos --profile ${o.profileName} ps` : `mesos --master ${spec} ps`}\n`)
  io.note(
    `mesos sim: ${o.scenarioName} scenario, Mesos ${o.version}, ${sim.masters.length} master(s), ${sim.agents.length} agent(s), ${sim.activeTasks().length} active task(s)`,
  )
  if (sim.masters.length > 1) io.note(`masters: ${sim.masters.map((m) => m.address).join(' ')}`)
  if (sim.caFile) io.note(`certificate: ${sim.caFile}`)
  io.note(`workdir: ${sim.workdir}`)
  io.note(`control: ${control.url} (mesos sim ctl --help)`)
  io.note(o.durationSec ? `stopping in ${o.durationSec}s (or Ctrl-C)` : 'Ctrl-C to stop')
  await new Promise<void>((resolve) => {
    if (o.durationSec) setTimeout(resolve, o.durationSec * 1000)
  })
  await stop()
}
