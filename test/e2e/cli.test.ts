/**
 * The built binary end to end: stdout, stderr and exit codes as a user and a script see them.
 * (`npm test` builds first; dist/ must be current.)
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BIN, cleanEnv, runCli } from '../helpers/cli.js'
import { json, startServer, type TestServer } from '../helpers/http-server.js'
import { refusedPort } from '../helpers/ports.js'
import { startZooKeeper, ZK_HOOK_MS, type ZkServer, zkConnect } from '../helpers/zookeeper.js'

let home: string
let env: NodeJS.ProcessEnv
const servers: TestServer[] = []

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'mesos-e2e-'))
})
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
  await rm(join(home, '.mesos.json'), { force: true })
  await rm(join(home, '.cache-mesos'), { recursive: true, force: true })
})
afterAll(async () => {
  await rm(home, { recursive: true, force: true })
})

const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
  env = cleanEnv(home, extra)
  return runCli(args, { env, cwd: home })
}

/** A master that leads and serves a state. */
async function leadingMaster(state: unknown = { frameworks: [] }): Promise<TestServer> {
  const m = await startServer()
  servers.push(m)
  m.route('/master/redirect', (_req, res) => {
    res.writeHead(307, { location: `//${m.address}` })
    res.end()
  })
  m.route('/master/state', (_req, res) =>
    json(res, 200, { pid: `master@${m.address}`, leader: `master@${m.address}`, ...(state as object) }),
  )
  m.route('/version', (_req, res) => json(res, 200, { version: '1.11.0', build_time: 1.0 }))
  return m
}

describe('basics', () => {
  it('--version prints the version', async () => {
    const r = await run(['--version'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^mesos-cli-ts\/\d+\.\d+\.\d+ /)
  })

  it('help lists the commands with their summaries', async () => {
    const r = await run(['help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/resolve\s+Print the address of the leading master\./)
    expect(r.stdout).toMatch(/config\s+Show or change the configuration/)
    expect(r.stdout).toMatch(/state\s+Print the master's state/)
  })

  it.each(['resolve', 'state', 'config'])('%s --help has a description and examples', async (cmd) => {
    const r = await run([cmd, '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/DESCRIPTION/)
    expect(r.stdout).toMatch(/EXAMPLES\n\s+\$ mesos /)
  })

  it('an unknown command is a usage error with a suggestion', async () => {
    const r = await run(['reslove'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      'mesos: unknown command "reslove"\nhint: did you mean "resolve"?\nhint: run "mesos help" for the list of commands\n',
    )
  })

  it('an unknown flag is a usage error, one line, no stack trace', async () => {
    const r = await run(['resolve', '--frobnicate'])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe('mesos: unknown flag --frobnicate')
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/)
  })
})

describe('resolve', () => {
  it('prints the leader as host:port', async () => {
    const m = await leadingMaster()
    const r = await run(['resolve', '--master', m.address])
    expect(r).toMatchObject({ code: 0, stdout: `${m.address}\n`, stderr: '' })
  })

  it('--json prints what is known', async () => {
    const m = await leadingMaster()
    const r = await run(['resolve', m.address, '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({
      leader: m.address,
      url: `http://${m.address}`,
      source: 'redirect',
      version: '1.11.0',
    })
  })

  it('takes the master from MESOS_MASTER', async () => {
    const m = await leadingMaster()
    const r = await run(['resolve'], { MESOS_MASTER: m.address })
    expect(r.stdout).toBe(`${m.address}\n`)
  })

  it('fails with exit 4 and one line when the master is down', async () => {
    const port = await refusedPort()
    const r = await run(['resolve', `127.0.0.1:${port}`])
    expect(r.code).toBe(4)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`mesos: cannot reach master 127.0.0.1:${port}: connection refused\n`)
  })

  it('--debug logs the requests on stderr, not stdout', async () => {
    const m = await leadingMaster()
    const r = await run(['resolve', m.address, '--debug'])
    expect(r.stdout).toBe(`${m.address}\n`)
    expect(r.stderr).toContain(`> GET http://${m.address}/master/redirect`)
  })

  describe('through ZooKeeper', () => {
    let zk: ZkServer
    beforeAll(async () => {
      zk = await startZooKeeper()
    }, ZK_HOOK_MS)
    afterAll(async () => {
      await zk?.stop()
    })

    it('reads the leader from a real ZooKeeper', async () => {
      const w = await zkConnect(zk.connectString)
      await w.mkdirp('/mesos')
      await w.createMember(
        '/mesos/json.info_',
        '{"address":{"hostname":"m1","ip":"127.0.0.9","port":5050},"hostname":"m1","id":"abc","ip":150994959,"pid":"master@127.0.0.9:5050","port":5050,"version":"1.11.0"}',
      )
      const r = await run(['resolve', `zk://${zk.connectString}/mesos`, '--json'])
      w.close()
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout)).toEqual({
        leader: '127.0.0.9:5050',
        url: 'http://127.0.0.9:5050',
        source: 'zk',
        id: 'abc',
        hostname: 'm1',
        version: '1.11.0',
      })
    })

    it('a missing path is exit 4 with the /mesos hint', async () => {
      const r = await run(['resolve', `zk://${zk.connectString}/nomesos`])
      expect(r.code).toBe(4)
      expect(r.stderr).toBe(
        `mesos: no ZooKeeper node /nomesos on ${zk.connectString}\nhint: did you forget /mesos? (e.g. zk://host:2181/mesos)\n`,
      )
    })
  })

  it('a stopped ZooKeeper fails within zk_timeout + 1 s, and the process exits', async () => {
    const port = await refusedPort()
    await writeFile(join(home, '.mesos.json'), JSON.stringify({ default: { zk_timeout: 1 } }))
    const r = await run(['resolve', `zk://127.0.0.1:${port}/mesos`])
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(new RegExp(`^mesos: cannot connect to ZooKeeper 127.0.0.1:${port} within 1s\\n`))
    expect(r.ms).toBeLessThan(1000 + 1000 + 1500) // + node start-up on a loaded machine
  })
})

describe('config', () => {
  it('saves, reads back and masks secrets; the file is 0600', async () => {
    expect((await run(['config', 'master', 'zk://zk1:2181/mesos'])).code).toBe(0)
    expect((await run(['config', 'secret', 'hunter2'])).code).toBe(0)
    expect((await run(['config', 'master'])).stdout).toBe('zk://zk1:2181/mesos\n')
    const all = await run(['config'])
    expect(JSON.parse(all.stdout)).toMatchObject({
      master: 'zk://zk1:2181/mesos',
      secret: '********',
      max_workers: 16,
    })
    expect(all.stdout).not.toContain('hunter2')
    expect((await run(['config', 'secret'])).stdout).toBe('********\n')
    expect((await run(['config', 'secret', '--show-secrets'])).stdout).toBe('hunter2\n')
    expect((await stat(join(home, '.mesos.json'))).mode & 0o777).toBe(0o600)
  })

  it('switches and creates profiles', async () => {
    await run(['config', 'master', 'a:1'])
    expect((await run(['config', 'profile'])).stdout).toBe('default\n')
    expect((await run(['config', 'profile', 'staging'])).code).toBe(0)
    await run(['config', 'master', 'b:2'])
    expect((await run(['config', 'master'])).stdout).toBe('b:2\n')
    expect((await run(['config', 'master', '--profile', 'default'])).stdout).toBe('a:1\n')
    expect((await run(['config', 'master'], { MESOS_CLI_PROFILE: 'default' })).stdout).toBe('a:1\n')
    const file = JSON.parse(await readFile(join(home, '.mesos.json'), 'utf8'))
    expect(file).toEqual({ profile: 'staging', default: { master: 'a:1' }, staging: { master: 'b:2' } })
  })

  it('rejects unknown keys and bad values with exit 2', async () => {
    const r = await run(['config', 'mastr', 'x'])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe('mesos: unknown config key "mastr"')
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('hint: mesos config --help')
    const v = await run(['config', 'max_workers', 'many'])
    expect(v.code).toBe(2)
    expect(v.stderr).toBe('mesos: invalid value for max_workers: expected a whole number from 1 to 1024\nhint: mesos config --help\n')
  })

  it('a malformed file: exit 2, file and position named, file untouched', async () => {
    const file = join(home, '.mesos.json')
    const broken = '{\n  "default": {\n    "master": "a:1"\n    "scheme": "http"\n  }\n}\n'
    await writeFile(file, broken)
    for (const args of [['config'], ['config', 'master', 'b:2'], ['resolve']]) {
      const r = await run(args)
      expect(r.code).toBe(2)
      expect(r.stderr.split('\n')[0]).toBe(`mesos: malformed config file ${file}:4:5: comma expected`)
    }
    expect(await readFile(file, 'utf8')).toBe(broken)
  })

  it('log_file with log_level debug records the requests (never the secret), mode 0600', async () => {
    const m = await leadingMaster()
    const log = join(home, 'mesos.log')
    await run(['config', 'log_file', log])
    await run(['config', 'log_level', 'debug'])
    await run(['config', 'secret', 'hunter2'])
    await run(['config', 'principal', 'ops'])
    const r = await run(['resolve', m.address])
    expect(r.stderr).toBe('')
    const text = await readFile(log, 'utf8')
    expect(text).toMatch(new RegExp(`^\\S+Z DEBUG > GET http://${m.address}/master/redirect( \\(credentials withheld: plain http\\))?$`, 'm'))
    expect(text).not.toMatch(/hunter2/)
    expect((await stat(log)).mode & 0o777).toBe(0o600)
    await rm(log)
  })

  it('an explicit --profile that does not exist is an error for cluster commands', async () => {
    await run(['config', 'master', 'a:1'])
    const r = await run(['resolve', '--profile', 'prod'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      `mesos: no profile "prod" in ${join(home, '.mesos.json')}\nhint: known profiles: default\n`,
    )
  })
})

describe('state', () => {
  it('writes the master state exactly as received when piped', async () => {
    const m = await leadingMaster()
    // doubles keep their ".0" as Mesos writes them; re-serialising would lose it
    const body = `{"pid":"master@${m.address}","leader":"master@${m.address}","build_time":1.0,"activated_slaves":1.0,"frameworks":[]}`
    m.route('/master/state', (_req, res) => json(res, 200, body))
    const r = await run(['state', '--master', m.address])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${body}\n`)
  })

  it('an ambiguous agent is exit 3 with the candidates listed', async () => {
    const m = await leadingMaster()
    m.route('/master/slaves', (_req, res) =>
      json(res, 200, {
        slaves: [
          { id: 'abc-S0', hostname: 'agent-1.example', pid: 'slave(1)@127.0.0.1:1' },
          { id: 'abc-S1', hostname: 'agent-2.example', pid: 'slave(1)@127.0.0.1:2' },
        ],
      }),
    )
    const r = await run(['state', 'agent', '--master', m.address])
    expect(r.code).toBe(3)
    expect(r.stderr).toBe(
      'mesos: 2 agents match "agent"\nabc-S0  agent-1.example\nabc-S1  agent-2.example\nhint: give more of the ID or hostname\n',
    )
    const none = await run(['state', 'nothing', '--master', m.address])
    expect(none.code).toBe(3)
  })

  it("prints one agent's state from its pid address", async () => {
    const m = await leadingMaster()
    const agent = await startServer()
    servers.push(agent)
    agent.route('/slave(1)/state', (_req, res) => json(res, 200, { id: 'abc-S7', hostname: 'solo' }))
    m.route('/master/slaves', (_req, res) =>
      json(res, 200, { slaves: [{ id: 'abc-S7', hostname: 'solo', pid: `slave(1)@${agent.address}` }] }),
    )
    const r = await run(['state', 'S7', '--master', m.address])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({ id: 'abc-S7', hostname: 'solo' })
  })

  it('a closed stdout ends the command quietly with exit 0', async () => {
    const big = {
      frameworks: Array.from({ length: 20000 }, (_, i) => ({ id: `fw-${i}`, name: 'x'.repeat(200) })),
    }
    const m = await leadingMaster(big)
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'state', '--master', m.address], {
        env: cleanEnv(home),
        cwd: home,
      })
      let stderr = ''
      child.stderr.on('data', (c) => {
        stderr += c
      })
      child.stdout.once('data', () => child.stdout.destroy())
      child.on('close', (code) => resolve({ code, stderr }))
    })
    expect(result).toEqual({ code: 0, stderr: '' })
  })

  it('SIGINT during a request exits 130', async () => {
    const m = await startServer()
    servers.push(m)
    m.route('/master/redirect', () => {}) // never answers
    const child = spawn(process.execPath, [BIN, 'state', '--master', m.address, '--timeout', '30'], {
      env: cleanEnv(home),
      cwd: home,
    })
    while (m.requests.length === 0) await new Promise((r) => setTimeout(r, 50))
    child.kill('SIGINT')
    const code = await new Promise((r) => child.on('close', r))
    expect(code).toBe(130)
  })
})
