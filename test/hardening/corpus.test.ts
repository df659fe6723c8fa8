/**
 * The bad-input corpus (issue 12): config files, master specs, hostile servers, hostile cluster
 * data and process faults, each run through the built binary and held to the same bar: the
 * documented exit code, one `mesos: …` line (plus hints), no stack trace, no node warning, and the
 * profile's secret nowhere in the output. Servers are real loopback servers started per case.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttps } from 'node:https'
import { type AddressInfo, createServer as createTcp, type Socket } from 'node:net'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { selfSignedCert } from '../helpers/http-server.js'
import { refusedPort } from '../helpers/ports.js'
import { oneLineError, oneTaskState, run, scratchHome } from './hostile.js'

const SECRET = 'corpus-secret-9f3a'

type Handler = (req: IncomingMessage, res: ServerResponse) => void
type Kind = 'http' | 'https' | 'silent' | 'refused' | 'tcp-close' | 'tcp-garbage'

interface Server0 {
  /** 'http' and 'https' answer with `handle`; the others misbehave at the TCP level. */
  kind: Kind
  handle?: Handler
}

interface Case {
  name: string
  args: string[]
  /** The profile (merged over a default with the secret), or the file's raw text. */
  profile?: Record<string, unknown>
  file?: string | ((home: string) => string)
  /** A master started for the case; `MASTER` in args and profile values is replaced by its address. */
  master?: Server0
  /** An agent started for the case, listed by the master's state (`AGENT` is its port). */
  agent?: Server0
  code: number
  stderr: RegExp
}

const send =
  (status: number, body: string, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers })
    res.end(body)
  }

/** A master answering `/master/redirect` with 404 (use as given) and `routes` by path. */
function master(routes: Record<string, Handler>): Handler {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    const h = routes[path] ?? (path === '/master/redirect' ? send(404, '') : send(404, '404 Not Found.'))
    h(req, res)
  }
}

const ok = (body: unknown) => send(200, typeof body === 'string' ? body : JSON.stringify(body))
/** A master for a case with an agent: its /master/state lists that agent (see `withAgent`). */
const withState = (): Handler => master({})

const CASES: Case[] = [
  // ── config files ──
  { name: 'malformed JSON', args: ['resolve'], file: '{"default": {"master": }', code: 2, stderr: /^mesos: malformed config file .*:1:\d+: value expected$/m },
  { name: 'a JSON list at the top', args: ['resolve'], file: '[1, 2]', code: 2, stderr: /expected a JSON object at the top level/ },
  { name: 'binary garbage', args: ['resolve'], file: '\u0000\u0001\u00ff{{', code: 2, stderr: /^mesos: malformed config file/m },
  { name: 'unterminated comment', args: ['resolve'], file: '{ /* no end', code: 2, stderr: /^mesos: malformed config file/m },
  { name: 'master of type number', args: ['resolve'], profile: { master: 5050 }, code: 2, stderr: /invalid master 5050 .*expected a string, got a number/ },
  { name: 'master of type object', args: ['agents'], profile: { master: { host: 'h' } }, code: 2, stderr: /invalid master \{"host":"h"\} .*got an object/ },
  { name: 'scheme ftp', args: ['resolve'], profile: { scheme: 'ftp' }, code: 2, stderr: /invalid scheme "ftp" .*expected one of http, https/ },
  { name: 'response_timeout negative', args: ['resolve'], profile: { response_timeout: -1 }, code: 2, stderr: /invalid response_timeout -1/ },
  { name: 'response_timeout too long for a timer', args: ['resolve'], profile: { response_timeout: 1e12 }, code: 2, stderr: /invalid response_timeout 1000000000000/ },
  { name: 'zk_timeout NaN text', args: ['resolve'], profile: { zk_timeout: 'NaN' }, code: 2, stderr: /invalid zk_timeout "NaN"/ },
  { name: 'max_workers fractional', args: ['resolve'], profile: { max_workers: 1.5 }, code: 2, stderr: /invalid max_workers 1\.5/ },
  { name: 'cache_ttl a list', args: ['resolve'], profile: { cache_ttl: [] }, code: 2, stderr: /invalid cache_ttl \[\] .*got a list/ },
  { name: 'debug "maybe"', args: ['resolve'], profile: { debug: 'maybe' }, code: 2, stderr: /invalid debug "maybe" .*expected true or false/ },
  { name: 'log_level loud', args: ['resolve'], profile: { log_level: 'loud' }, code: 2, stderr: /invalid log_level "loud"/ },
  { name: 'token a number (masked)', args: ['resolve'], profile: { token: 12345678 }, code: 2, stderr: /invalid token "\*{8}"/ },
  { name: 'ssh_strict_host_keys wrong', args: ['resolve'], profile: { ssh_strict_host_keys: 'sometimes' }, code: 2, stderr: /invalid ssh_strict_host_keys/ },
  { name: 'profile key a number', args: ['resolve'], file: '{"profile": 5}', code: 2, stderr: /^mesos: invalid profile 5/m },
  { name: 'unknown --profile', args: ['resolve', '--profile', 'nope'], profile: {}, code: 2, stderr: /^mesos: no profile "nope" in /m },
  { name: 'config is a directory', args: ['resolve'], file: (home) => (mkdirSync(join(home, 'd')), join(home, 'd')), code: 2, stderr: /^mesos: cannot read .*: is a directory$/m },
  { name: 'config is a dangling symlink (written later, read as absent)', args: ['config', 'master'], file: (home) => (symlinkSync(join(home, 'none'), join(home, 'link')), join(home, 'link')), code: 0, stderr: /^$/ },
  { name: 'config KEY unknown', args: ['config', 'mastr', 'x'], profile: {}, code: 2, stderr: /^mesos: unknown config key "mastr"/m },
  { name: 'config master with a bad spec', args: ['config', 'master', 'zk://u:pw@h'], profile: {}, code: 2, stderr: /^mesos: invalid master spec "zk:\/\/u:\*{8}@h": missing the ZooKeeper path/m },
  { name: 'config response_timeout too long', args: ['config', 'response_timeout', '1e10'], profile: {}, code: 2, stderr: /^mesos: invalid value for response_timeout/m },
  { name: 'config profile named profile', args: ['config', 'profile', 'profile'], profile: {}, code: 2, stderr: /cannot be a profile name/ },

  // ── master specs ──
  { name: 'master of only spaces', args: ['resolve'], profile: { master: '   ' }, code: 2, stderr: /invalid master " {3}" .*expected a non-empty string/ },
  { name: 'port 0', args: ['resolve', '--master', 'h:0'], code: 2, stderr: /^mesos: invalid master spec "h:0": port 0 out of range$/m },
  { name: 'port 65536', args: ['resolve', '--master', 'h:65536'], code: 2, stderr: /port 65536 out of range/ },
  { name: 'port letters', args: ['resolve', '--master', 'h:http'], code: 2, stderr: /bad port "http"/ },
  { name: 'unsupported scheme', args: ['resolve', '--master', 'ftp://h:1'], code: 2, stderr: /unsupported scheme/ },
  { name: 'zk without a path', args: ['resolve', '--master', `zk://alice:${SECRET}@h:2181`], code: 2, stderr: /zk:\/\/alice:\*{8}@h:2181.*missing the ZooKeeper path/ },
  { name: 'zk with path "/"', args: ['resolve', '--master', 'zk://h:2181/'], code: 2, stderr: /expecting a \(chroot\) path/ },
  { name: 'zk credentials without a colon', args: ['resolve', '--master', 'zk://alice@h:2181/mesos'], code: 2, stderr: /credentials must be user:password/ },
  { name: 'zk empty server in the list', args: ['resolve', '--master', 'zk://h1:2181,,h2/mesos'], code: 2, stderr: /empty ZooKeeper server/ },
  { name: 'http URL with a password', args: ['resolve', '--master', `http://u:${SECRET}@h:5050`], code: 2, stderr: /http:\/\/u:\*{8}@h:5050.*credentials do not belong in the URL/ },
  { name: 'URL with a query', args: ['resolve', '--master', 'http://h:5050/?x=1'], code: 2, stderr: /takes no query or fragment/ },
  { name: 'unterminated IPv6', args: ['resolve', '--master', '[::1:5050'], code: 2, stderr: /unterminated IPv6 address/ },
  { name: 'host with a space', args: ['resolve', '--master', 'a b:5050'], code: 2, stderr: /bad host "a b"/ },
  { name: 'path without a URL', args: ['resolve', '--master', 'h:5050/mesos'], code: 2, stderr: /a path needs a URL/ },
  { name: 'a 100 KB spec is cut', args: ['resolve', '--master', `${'x'.repeat(100_000)}:1`], code: 2, stderr: /^mesos: invalid master spec "x{200}… \(100002 characters\)": host name longer than 253 characters$/m },
  { name: 'file:// relative', args: ['resolve', '--master', 'file://rel/path'], code: 2, stderr: /file:\/\/ needs an absolute path/ },
  { name: 'file:// missing', args: ['resolve', '--master', 'file:///nonexistent/spec'], code: 4, stderr: /^mesos: cannot read master spec file \/nonexistent\/spec: no such file$/m },
  { name: 'file:// empty', args: ['resolve', '--master', 'file://HOME/empty'], file: (home) => (writeFileSync(join(home, 'empty'), '  \n'), ''), code: 4, stderr: /master spec file .*empty is empty/ },
  { name: 'file:// loop', args: ['resolve', '--master', 'file://HOME/a'], file: (home) => (writeFileSync(join(home, 'a'), `file://${home}/b`), writeFileSync(join(home, 'b'), `file://${home}/a`), ''), code: 4, stderr: /master spec files loop/ },
  { name: 'file:// too large', args: ['resolve', '--master', 'file://HOME/big'], file: (home) => (writeFileSync(join(home, 'big'), 'h'.repeat(5_000_000)), ''), code: 4, stderr: /is too large \(5000000 bytes; a spec is one line\)/ },
  { name: 'file:// a FIFO with no writer', args: ['resolve', '--master', 'file://HOME/fifo', '--timeout', '0.5'], file: (home) => (execFileSync('mkfifo', [join(home, 'fifo')]), ''), code: 4, stderr: /gave no spec within 0\.5s/ },
  { name: 'file:// a device', args: ['resolve', '--master', 'file:///dev/zero'], code: 4, stderr: /cannot read master spec file \/dev\/zero: not a file or a pipe/ },
  { name: 'file:// holding a bad spec', args: ['resolve', '--master', 'file://HOME/s'], file: (home) => (writeFileSync(join(home, 's'), `zk://u:${SECRET}@h`), ''), code: 2, stderr: /zk:\/\/u:\*{8}@h/ },

  // ── hostile servers ──
  { name: 'connection refused', args: ['agents'], master: { kind: 'refused' }, code: 4, stderr: /^mesos: cannot reach master 127\.0\.0\.1:\d+: connection refused$/m },
  { name: 'a silent master', args: ['agents', '--timeout', '0.5'], master: { kind: 'silent' }, code: 4, stderr: /did not answer within 0\.5s/ },
  { name: 'a master closing at once', args: ['agents'], master: { kind: 'tcp-close' }, code: 4, stderr: /^mesos: connection to master 127\.0\.0\.1:\d+ was reset$/m },
  { name: 'a master speaking garbage', args: ['agents'], master: { kind: 'tcp-garbage' }, code: 4, stderr: /^mesos: cannot reach master 127\.0\.0\.1:\d+: /m },
  { name: 'https asked of a plain master', args: ['agents', '--master', 'https://MASTER'], master: { kind: 'http', handle: master({}) }, code: 4, stderr: /TLS handshake with master .* failed: is it serving http\?/ },
  { name: 'plain http asked of a TLS master', args: ['agents', '--master', 'http://MASTER'], master: { kind: 'https', handle: master({}) }, code: 4, stderr: /^mesos: (connection to master .* was reset|cannot reach master .*)$/m },
  { name: 'untrusted certificate', args: ['agents', '--master', 'https://MASTER'], master: { kind: 'https', handle: master({}) }, code: 4, stderr: /TLS certificate of master .* not trusted: self-signed certificate/ },
  { name: '503 no leader', args: ['agents'], master: { kind: 'http', handle: master({ '/master/redirect': send(503, 'No leader elected') }) }, code: 4, stderr: /^mesos: no leader elected: master .* answered 503 No leader elected$/m },
  { name: '307 without Location', args: ['agents'], master: { kind: 'http', handle: master({ '/master/redirect': send(307, '') }) }, code: 4, stderr: /redirected without a Location/ },
  { name: '307 to an unusable Location', args: ['agents'], master: { kind: 'http', handle: master({ '/master/redirect': send(307, '', { location: 'nowhere' }) }) }, code: 4, stderr: /redirected to an unusable Location "nowhere"/ },
  { name: 'redirect loop on a leader-only request', args: ['agents'], master: { kind: 'http', handle: master({ '/master/state-summary': (req, res) => send(307, '', { location: `//${req.headers.host}` })(req, res) }) }, code: 4, stderr: /too many redirects between masters/ },
  { name: '500 with an HTML page', args: ['agents'], master: { kind: 'http', handle: master({ '/master/state-summary': send(500, '<html>\n<b>boom</b>\u001b[2J</html>') }) }, code: 1, stderr: /answered 500 for GET \/master\/state-summary/ },
  { name: '401 with no credentials set', args: ['agents'], profile: { secret: undefined, principal: undefined }, master: { kind: 'http', handle: master({ '/master/state-summary': send(401, '', { 'www-authenticate': 'Basic realm="x"' }) }) }, code: 1, stderr: /^mesos: 401 from master .*set principal\/secret/m },
  { name: '401 with credentials withheld over plain http', args: ['agents'], master: { kind: 'http', handle: master({ '/master/state-summary': send(401, '', { 'www-authenticate': 'Basic realm="x"' }) }) }, code: 1, stderr: /hint: credentials are never sent over plain http/ },
  { name: '403', args: ['agents'], profile: { scheme: 'http' }, master: { kind: 'http', handle: master({ '/master/state-summary': send(403, '') }) }, code: 1, stderr: /^mesos: 403 from master .*not allowed to GET \/master\/state-summary/m },
  { name: 'body cut short', args: ['agents'], master: { kind: 'http', handle: master({ '/master/state-summary': (_q, res) => { res.writeHead(200, { 'content-length': '100' }); res.write('{"slaves": ['); res.destroy() } }) }, code: 4, stderr: /^mesos: connection to master .* was reset$/m },

  // ── hostile cluster data ──
  { name: 'state-summary {"slaves": 5}', args: ['agents'], master: { kind: 'http', handle: master({ '/master/state-summary': ok({ slaves: 5 }) }) }, code: 4, stderr: /sent an unexpected answer for \/master\/state-summary: slaves is a number, not a list/ },
  { name: 'state-summary []', args: ['frameworks'], master: { kind: 'http', handle: master({ '/master/state-summary': ok([]) }) }, code: 4, stderr: /the answer is a list, not an object/ },
  { name: 'state-summary null', args: ['agents'], master: { kind: 'http', handle: master({ '/master/state-summary': ok('null') }) }, code: 4, stderr: /the answer is null, not an object/ },
  { name: 'state-summary empty 200', args: ['agents'], master: { kind: 'http', handle: master({ '/master/state-summary': ok('') }) }, code: 4, stderr: /sent an empty answer for \/master\/state-summary$/m },
  { name: 'state-summary not JSON', args: ['agents'], master: { kind: 'http', handle: master({ '/master/state-summary': ok('<html>') }) }, code: 4, stderr: /sent an answer that is not JSON for \/master\/state-summary: "<html>"/ },
  { name: 'agent id a number', args: ['agents'], master: { kind: 'http', handle: master({ '/master/state-summary': ok({ slaves: [{ id: 1 }] }) }) }, code: 4, stderr: /slaves\[0\]\.id is a number, not a string/ },
  { name: 'agent id missing', args: ['agents'], master: { kind: 'http', handle: master({ '/master/state-summary': ok({ slaves: [{ hostname: 'h' }] }) }) }, code: 4, stderr: /slaves\[0\]\.id is missing/ },
  { name: 'frameworks -i with completed_frameworks an object', args: ['frameworks', '-i'], master: { kind: 'http', handle: master({ '/master/state-summary': ok({}), '/master/frameworks': ok({ completed_frameworks: {} }) }) }, code: 4, stderr: /completed_frameworks is an object, not a list/ },
  { name: 'state AGENT with slaves a string', args: ['state', 'x'], master: { kind: 'http', handle: master({ '/master/slaves': ok({ slaves: 'x' }) }) }, code: 4, stderr: /\/master\/slaves: slaves is a string, not a list/ },
  { name: 'state with a list for a state', args: ['state'], master: { kind: 'http', handle: master({ '/master/state': ok([]) }) }, code: 4, stderr: /\/master\/state: the answer is a list, not an object/ },
  { name: 'resolve --json with a /version list', args: ['resolve', '--json'], master: { kind: 'http', handle: master({ '/version': ok([1]) }) }, code: 0, stderr: /^$/ },
  { name: 'ps: agent refusing', args: ['ps'], master: { kind: 'http', handle: withState() }, agent: { kind: 'refused' }, code: 1, stderr: /no statistics from agent 127\.0\.0\.1 .*connection refused/ },
  { name: 'ps: agent statistics an object', args: ['ps'], master: { kind: 'http', handle: withState() }, agent: { kind: 'http', handle: send(200, '{}') }, code: 1, stderr: /agent 127\.0\.0\.1:\d+ sent an unexpected answer for \/slave\(1\)\/monitor\/statistics: the answer is an object, not a list/ },
  { name: 'ps: agent statistics without executor_id', args: ['ps'], master: { kind: 'http', handle: withState() }, agent: { kind: 'http', handle: send(200, '[{"framework_id": "f", "statistics": {}}]') }, code: 1, stderr: /\[0\]\.executor_id is missing/ },
  { name: 'ps: agent answering 500', args: ['ps'], master: { kind: 'http', handle: withState() }, agent: { kind: 'http', handle: send(500, 'oops') }, code: 1, stderr: /agent 127\.0\.0\.1:\d+ answered 500/ },
  { name: 'ps: agent silent', args: ['ps', '--timeout', '0.5'], master: { kind: 'http', handle: withState() }, agent: { kind: 'silent' }, code: 1, stderr: /agent 127\.0\.0\.1:\d+ did not answer within 0\.5s/ },
]

/** Starts a server of `kind`; returns its port and how to stop it. */
async function start(s: Server0, tls: { key: Buffer; cert: Buffer }): Promise<{ port: number; close(): Promise<void> }> {
  if (s.kind === 'refused') return { port: await refusedPort(), close: async () => {} }
  const sockets = new Set<Socket>()
  let server: Server | import('node:net').Server
  if (s.kind === 'http') server = createHttp(s.handle!)
  else if (s.kind === 'https') server = createHttps({ key: tls.key, cert: tls.cert }, s.handle!)
  else {
    server = createTcp((sock) => {
      sock.on('error', () => {})
      if (s.kind === 'tcp-close') sock.destroy()
      if (s.kind === 'tcp-garbage') sock.once('data', () => sock.end('\u0000\u00ffNOT HTTP AT ALL\r\n\r\n'))
    })
  }
  server.on('connection', (sock: Socket) => {
    sockets.add(sock)
    sock.on('close', () => sockets.delete(sock))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const sock of sockets) sock.destroy()
        server.close(() => resolve())
      }),
  }
}

describe('bad-input corpus', () => {
  let tls: ReturnType<typeof selfSignedCert>
  beforeAll(() => {
    tls = selfSignedCert()
  })

  it('holds at least 60 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60)
  })

  describe.concurrent('cases', () => {
    for (const c of CASES) {
      it(c.name, async () => {
        const stops: (() => Promise<void>)[] = []
        try {
          const h = scratchHome()
          const agent = c.agent ? await start(c.agent, tls) : undefined
          if (agent) stops.push(agent.close)
          const handle = c.master?.handle
          const m = c.master
            ? await start({ ...c.master, ...(handle && agent ? { handle: withAgent(handle, agent.port) } : {}) }, tls)
            : undefined
          if (m) stops.push(m.close)
          const address = m ? `127.0.0.1:${m.port}` : '127.0.0.1:1'
          const fill = (v: string) => v.replaceAll('MASTER', address).replaceAll('HOME', h.home)
          const extra = typeof c.file === 'function' ? c.file(h.home) : c.file
          let configPath = h.config
          if (typeof c.file === 'function' && extra) configPath = extra
          else if (typeof c.file === 'string') writeFileSync(h.config, c.file)
          else {
            const profile = { master: address, principal: 'ops', secret: SECRET, cache_ttl: 0, ...c.profile }
            writeFileSync(h.config, JSON.stringify({ profile: 'default', default: profile }))
          }
          const r = await run(c.args.map(fill), { ...h.env(), MESOS_CLI_CONFIG: configPath }, 15_000)
          const context = `${c.name}\n--- stderr:\n${r.stderr}`
          expect(r.code, context).toBe(c.code)
          expect(r.stderr, context).toMatch(c.stderr)
          if (c.code !== 0) expect(oneLineError(r.stderr), context).toBeUndefined()
          expect(r.stderr, context).not.toMatch(/\n\s+at |TypeError|Warning|\(node:\d+\)/)
          expect(r.stdout + r.stderr, context).not.toContain(SECRET)
        } finally {
          await Promise.all(stops.map((s) => s()))
        }
      })
    }
  })
})

/** A master handler whose /master/state lists the case's agent. */
function withAgent(handle: Handler, agentPort: number): Handler {
  return (req, res) => {
    if ((req.url ?? '').split('?')[0] === '/master/state') return ok(oneTaskState(agentPort))(req, res)
    handle(req, res)
  }
}
