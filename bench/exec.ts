/**
 * `mesos exec TASK -- true` against `mesos ssh TASK -- true` on the same machine in the same run:
 * a simulator whose nested containers are real processes here, and a real OpenSSH server on
 * loopback (test/helpers/sshd.ts) that the ssh command reaches as the task's agent. `node -e 0` is
 * the floor every mesos command stands on. Also 64 MiB of stdout through each.
 * Run: npx tsx bench/exec.ts   (prints a Markdown table)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator } from '../src/sim/index.js'
import { makeKey, type Sshd, startSshd } from '../test/helpers/sshd.js'
import { BIN, median, timed } from './lib.js'

const RUNS = 11
const scenario = { name: 'bench', agents: 1, frameworks: [{ name: 'b', tasks: [{ id: 'bench.1', agent: 0 }] }] }
const sim = await startSimulator({ scenario, logIntervalMs: 0, liveEvents: false, eagerSandboxes: true, rateLimit: false })
const home = mkdtempSync(join(tmpdir(), 'mesos-bench-exec-'))
const env = { ...process.env, HOME: home, MESOS_MASTER: sim.masterSpec, MESOS_CLI_CACHE_DIR: join(home, 'cache'), NO_COLOR: '1' }
let sshd: Sshd | undefined
let sshProblem = ''
try {
  mkdirSync(join(home, '.ssh'), { recursive: true })
  const key = makeKey(join(home, '.ssh', 'id_ed25519'))
  sshd = await startSshd({ authorized: [key.publicLine] })
  writeFileSync(join(home, '.ssh', 'config'), `Host 127.0.0.1\n  Port ${sshd.port}\n  User root\n`)
  writeFileSync(join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`)
} catch (err) {
  sshProblem = (err as Error).message.split('\n')[0] ?? 'unknown'
}

const mesos = (...args: string[]) => timed(process.execPath, [BIN, ...args], env)
const rows: string[] = []
try {
  // warm the task index cache and the leader, as an operator's second command would find them
  await mesos('exec', 'bench.1', 'true')
  const candidates: Record<string, () => Promise<{ ms: number; code: number | null }>> = {
    'node -e 0': () => timed(process.execPath, ['-e', '0'], env),
    'mesos exec bench.1 -- true': () => mesos('exec', 'bench.1', '--', 'true'),
    ...(sshd ? { 'mesos ssh bench.1 -- true': () => mesos('ssh', 'bench.1', '--', 'true') } : {}),
  }
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]))
  // interleaved, so a busy moment of the machine hits every candidate alike
  for (let i = 0; i < RUNS; i++) {
    for (const [name, run] of Object.entries(candidates)) {
      const r = await run()
      if (r.code !== 0) throw new Error(`${name} exited ${r.code}`)
      times[name]!.push(r.ms)
    }
  }
  const floor = median(times['node -e 0']!)
  for (const [name, xs] of Object.entries(times)) {
    const m = median(xs)
    rows.push(`| ${name} | ${m.toFixed(0)} ms | ${name === 'node -e 0' ? 'floor' : `+${(m - floor).toFixed(0)} ms over node`} |`)
  }
  if (sshd) {
    const e = median(times['mesos exec bench.1 -- true']!)
    const s = median(times['mesos ssh bench.1 -- true']!)
    rows.push(`| exec / ssh | ${(e / s).toFixed(2)}x | same machine, same run |`)
  } else rows.push(`| mesos ssh | not measured | no sshd could be started (${sshProblem}); compare with node -e 0 |`)

  const blob = 'head -c 67108864 /dev/zero'
  const execMb = await mesos('exec', 'bench.1', 'sh', '-c', blob)
  rows.push(`| 64 MiB stdout: exec | ${execMb.ms.toFixed(0)} ms | ${(64 / (execMb.ms / 1000)).toFixed(0)} MiB/s (${execMb.bytes} bytes) |`)
  if (sshd) {
    const sshMb = await mesos('ssh', 'bench.1', '--', 'sh', '-c', blob)
    rows.push(`| 64 MiB stdout: ssh | ${sshMb.ms.toFixed(0)} ms | ${(64 / (sshMb.ms / 1000)).toFixed(0)} MiB/s (${sshMb.bytes} bytes) |`)
  }
} finally {
  await Promise.all([sim.stop(), sshd?.stop()])
  rmSync(home, { recursive: true, force: true })
}
console.log(`| command (median of ${RUNS}, interleaved) | wall | note |\n|---|---|---|`)
console.log(rows.join('\n'))
