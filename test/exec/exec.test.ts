/**
 * `mesos exec` end to end: the built CLI against the simulator, whose nested containers are real
 * process groups on this machine (reference §5.4): exit statuses, byte-exact output, stdin and its
 * end, Ctrl-C, the refusals, and task matching.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../src/sim/index.js'
import { cleanEnv, runCli, startCli, until } from '../helpers/cli.js'
import { membersOfGroup } from './helpers.js'

let root: string
let sim: Simulator

const env = (extra: NodeJS.ProcessEnv = {}, s = sim) => cleanEnv(root, { MESOS_MASTER: s.masterSpec, ...extra })
const run = (args: string[], input?: string) => runCli(args, { env: env(), input })
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesos-exec-'))
  sim = await startSimulator({
    scenario: {
      name: 'exec',
      agents: 2,
      frameworks: [
        {
          name: 'web',
          tasks: [
            { id: 'web.1', agent: 0 },
            { id: 'web.2', agent: 1 },
            { id: 'web-old', agent: 1, state: 'TASK_FINISHED', startedSecondsAgo: 600, endedSecondsAgo: 60 },
            { id: 'docker.1', agent: 1 },
          ],
        },
      ],
    },
    logIntervalMs: 0,
    liveEvents: false,
    eagerSandboxes: true,
  })
  // the simulator launches Mesos-containerizer tasks only; this one claims Docker, as its master would say
  sim.task('docker.1').container = { type: 'DOCKER', docker: { image: 'nginx' } }
}, 60_000)

afterAll(async () => {
  await sim?.stop()
  rmSync(root, { recursive: true, force: true })
})

describe('mesos exec', () => {
  it('relays stdout and stderr apart and passes the exit status through; COMMAND needs no --', async () => {
    const r = await run(['exec', 'web.1', 'sh', '-c', 'printf out; printf err >&2; exit 7'])
    expect([r.code, r.stdout, r.stderr]).toEqual([7, 'out', 'err'])
    const ls = await run(['exec', 'web.1', 'ls', '-a'])
    expect(ls.code).toBe(0)
    expect(ls.stdout.split('\n')).toContain('stdout')
  })

  it('runs in the task sandbox and passes dashes to the command after --', async () => {
    const r = await run(['exec', 'web.1', '--', 'sh', '-c', 'pwd; echo "$1"', 'sh', '--help'])
    expect(r.stdout).toBe(`${sim.sandboxPath('web.1')}\n--help\n`)
    expect(r.code).toBe(0)
  })

  it('a command killed by signal N exits 128+N', async () => {
    const term = await run(['exec', 'web.1', 'sh', '-c', 'kill -TERM $$'])
    const kill = await run(['exec', 'web.1', 'sh', '-c', 'kill -KILL $$'])
    expect([term.code, kill.code]).toEqual([143, 137])
    expect(term.stderr + kill.stderr).toBe('')
  })

  it('copies 5 MiB of binary output byte for byte', async () => {
    const r = await run(['exec', 'web.1', 'sh', '-c', 'head -c 5242880 /dev/urandom > blob && cat blob'])
    expect(r.code).toBe(0)
    const blob = readFileSync(sim.sandboxPath('web.1', 'blob'))
    expect(r.stdoutBytes.length).toBe(5 * 1024 * 1024)
    expect(sha(r.stdoutBytes)).toBe(sha(blob))
  })

  it('-i forwards stdin to its end (EOF); without -i the command gets none', async () => {
    const data = 'line one\nline two\n'.repeat(5000)
    const r = await run(['exec', '-i', 'web.2', 'sh', '-c', 'wc -c; echo done'], data)
    expect(r.stdout).toBe(`${data.length}\ndone\n`)
    const none = await run(['exec', 'web.2', 'sh', '-c', 'cat; echo done'], 'ignored')
    expect(none.stdout).toBe('done\n')
  })

  it('ends when the command ends, even while stdin stays open', async () => {
    const cli = startCli(['exec', '-i', 'web.2', 'true'], env())
    // stdin is never closed: only the command's end can end the run
    expect(await cli.exited()).toBe(0)
    cli.child.stdin.destroy()
  })

  it('Ctrl-C ends the remote command: exit 130 and its whole process group is gone', async () => {
    const cli = startCli(['exec', 'web.1', 'sh', '-c', 'sleep 300 & sleep 301 & echo $$; wait'], env())
    expect(await until(() => /^\d+\n/.test(cli.stdout()), 15_000)).toBe(true)
    const pgid = Number(cli.stdout().trim())
    expect(membersOfGroup(pgid).length).toBeGreaterThanOrEqual(3)
    cli.child.kill('SIGINT')
    expect(await cli.exited()).toBe(130)
    expect(await until(() => membersOfGroup(pgid).length === 0, 10_000)).toBe(true)
  })

  it('several matches and no match exit 3; TASK must be running', async () => {
    const many = await run(['exec', 'web', 'true'])
    expect(many.code).toBe(3)
    expect(many.stderr).toBe('mesos: 2 tasks match "web"; this command needs exactly one\nweb.1\nweb.2\nhint: give the full task ID or a longer fragment\n')
    const none = await run(['exec', 'nothing-like-it', 'true'])
    expect([none.code, none.stderr]).toEqual([3, 'mesos: no running task matches "nothing-like-it"\n'])
    const done = await run(['exec', 'web-old', 'true'])
    expect([done.code, done.stderr]).toEqual([1, 'mesos: task web-old is FINISHED, not running\n'])
  })

  it('refuses a Docker task with one line, exit 1', async () => {
    const r = await run(['exec', 'docker.1', 'true'])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('mesos: task docker.1 runs under the Docker containerizer; exec and attach need the Mesos containerizer\n')
  })

  it('usage: COMMAND is required', async () => {
    const r = await run(['exec', 'web.1'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^mesos: missing argument COMMAND\n/)
  })
})

describe('mesos exec against clusters that cannot', () => {
  it('an agent older than 1.2 (a 0.28 cluster: no v1 API, /master/tasks without filters)', async () => {
    const old = await startSimulator({ scenario: 'hello', version: '0.28.0', logIntervalMs: 0, liveEvents: false })
    try {
      const r = await runCli(['exec', 'hello-1', 'true'], { env: env({}, old) })
      expect(r.code).toBe(1)
      expect(r.stderr).toBe('mesos: task hello-1 is on an agent running Mesos 0.28.0; exec and attach need Mesos 1.2 or later\n')
    } finally {
      await old.stop()
    }
  })

  it('403 and 401 from the agent say so, exit 1', async () => {
    const guarded = await startSimulator({
      scenario: 'hello',
      logIntervalMs: 0,
      liveEvents: false,
      auth: {
        principal: 'ops',
        secret: 'x',
        principals: { guest: 'g', dev: 'd' },
        acls: { launch_nested_container_sessions: ['ops', 'dev'], attach_containers_input: ['ops'] },
      },
    })
    const config = (principal: string, secret: string) => {
      const file = join(root, `mesos-${principal}.json`)
      writeFileSync(file, JSON.stringify({ default: { master: guarded.masterSpec, scheme: 'http', principal, secret } }))
      return { MESOS_CLI_CONFIG: file }
    }
    try {
      const exec = (principal: string, secret: string, args = ['echo', 'in']) =>
        runCli(['exec', 'hello-1', ...args], { env: cleanEnv(join(root, principal), config(principal, secret)), input: 'x' })
      const guest = await exec('guest', 'g')
      expect(guest.code).toBe(1)
      expect(guest.stderr).toMatch(/^mesos: task hello-1 on agent 127\.0\.0\.1: not authorized to launch a command in the container on this agent \(403 Forbidden\)\n$/)
      const ops = await exec('ops', 'x')
      expect([ops.code, ops.stdout]).toEqual([0, 'in\n'])
      // dev may launch but not send input: fine without -i, a 403 that says so with it
      const dev = await exec('dev', 'd')
      expect([dev.code, dev.stdout, dev.stderr]).toEqual([0, 'in\n', ''])
      const devInput = await exec('dev', 'd', ['-i', 'cat'])
      expect(devInput.code).toBe(1)
      expect(devInput.stderr).toBe('mesos: task hello-1 on agent 127.0.0.1: not authorized to send input to the container on this agent (403 Forbidden)\n')
    } finally {
      await guarded.stop()
    }
    // only the agents' read-write realm asks for credentials: reading the master works without
    const agentsOnly = await startSimulator({
      scenario: 'hello',
      logIntervalMs: 0,
      liveEvents: false,
      auth: { principal: 'ops', secret: 'x', realms: ['mesos-agent-readwrite'] },
    })
    try {
      const r = await runCli(['exec', 'hello-1', 'true'], { env: env({}, agentsOnly) })
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/^mesos: task hello-1 on agent 127\.0\.0\.1: the agent wants credentials to launch a command in the container \(401 Unauthorized\)/)
    } finally {
      await agentsOnly.stop()
    }
  })
})
