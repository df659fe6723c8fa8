/**
 * The simulator's control endpoint (not part of Mesos): `POST /ctl/<action>` with a JSON body, on
 * its own loopback port, so `mesos sim ctl ...` can drive a running `mesos sim up`.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ACTIONS } from './actions.js'
import type { Simulator } from './simulator.js'

export interface ControlServer {
  url: string
  port: number
  close(): Promise<void>
}

type Body = Record<string, unknown>
const str = (b: Body, k: string): string => {
  const v = b[k]
  if (typeof v !== 'string' || !v) throw new Error(`missing "${k}"`)
  return v
}


export async function runAction(sim: Simulator, action: string, b: Body): Promise<unknown> {
  switch (action) {
    case 'status':
      return {
        leader: sim.leader?.address ?? null,
        masters: sim.masters.map((m) => m.address),
        agents: sim.agents.map((a) => ({ id: a.id, address: a.address, stopped: sim.cluster.agents.get(a.id)?.stopped })),
        workdir: sim.workdir,
        frameworks: [...sim.cluster.frameworks.values()].map((f) => ({ id: f.id, name: f.name })),
        activeTasks: sim.activeTasks().map((t) => t.id),
      }
    case 'failover':
      return { leader: (await sim.failover()).address }
    case 'stop-agent':
      await sim.stopAgent(str(b, 'agent'))
      return { ok: true }
    case 'start-agent':
      await sim.startAgent(str(b, 'agent'))
      return { ok: true }
    case 'slow-agent':
      sim.slowAgent(str(b, 'agent'), Number(b.ms ?? 0))
      return { ok: true }
    case 'add-agent':
      return { agent: (await sim.addAgent()).id }
    case 'unreachable-agent':
      await sim.markAgentUnreachable(str(b, 'agent'))
      return { ok: true }
    case 'reregister-agent':
      await sim.reregisterAgent(str(b, 'agent'))
      return { ok: true }
    case 'remove-agent':
      sim.removeAgent(str(b, 'agent'))
      return { ok: true }
    case 'fail-endpoint':
      sim.failEndpoint(str(b, 'path'), Number(b.status ?? 500), {
        target: typeof b.target === 'string' ? b.target : undefined,
        times: typeof b.times === 'number' ? b.times : undefined,
      })
      return { ok: true }
    case 'clear-faults':
      sim.clearFaults()
      return { ok: true }
    case 'launch': {
      const t = sim.launchTask({
        framework: typeof b.framework === 'string' ? b.framework : undefined,
        agent: typeof b.agent === 'string' ? b.agent : undefined,
        id: typeof b.id === 'string' ? b.id : undefined,
        name: typeof b.name === 'string' ? b.name : undefined,
        command: typeof b.command === 'string' ? b.command : undefined,
      })
      return { task: t.id, agent: t.agentId, framework: t.frameworkId }
    }
    case 'kill':
      sim.killTask(str(b, 'task'))
      return { ok: true }
    case 'fail':
      sim.failTask(str(b, 'task'))
      return { ok: true }
    case 'finish':
      sim.finishTask(str(b, 'task'))
      return { ok: true }
    case 'append':
      sim.appendFile(str(b, 'task'), str(b, 'file'), String(b.text ?? ''))
      return { ok: true }
    case 'truncate':
      sim.truncateFile(str(b, 'task'), str(b, 'file'), Number(b.size ?? 0))
      return { ok: true }
    default:
      throw new Error(`unknown action "${action}" (${ACTIONS.join(', ')})`)
  }
}

export async function startControl(sim: Simulator, port = 0): Promise<ControlServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const action = (req.url ?? '').replace(/^\/ctl\//, '').split('?')[0] ?? ''
      try {
        const text = Buffer.concat(chunks).toString('utf8')
        const body = text ? (JSON.parse(text) as Body) : {}
        const out = await runAction(sim, action, body)
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify(out))
      } catch (e) {
        res.writeHead(400, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ error: (e as Error).message }))
      }
    })
  })
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()))
  const p = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${p}`,
    port: p,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
