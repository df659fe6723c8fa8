/** The pure pieces of the hardening: the masker, the linear config edit, the answer shapes, the lock. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'jsonc-parser'
import { describe, expect, it } from 'vitest'
import { editConfigText } from '../../src/core/config/file.js'
import { withFileLock } from '../../src/core/config/lock.js'
import { createMasker, cut, fingerprint, maskSpec } from '../../src/core/secrets/mask.js'
import { MesosError } from '../../src/core/errors.js'
import { onAbort } from '../../src/core/http/abort.js'
import { parseAnswer } from '../../src/core/http/validate.js'

describe('masking', () => {
  it('masks URL passwords, up to the last @ as Mesos reads them', () => {
    expect(maskSpec('zk://alice:p@ss@h1:2181,h2/mesos')).toBe('zk://alice:********@h1:2181,h2/mesos')
    expect(maskSpec('see http://u:pw@h:5050/x and https://h:1')).toBe('see http://u:********@h:5050/x and https://h:1')
    expect(maskSpec('zk://h:2181/mesos')).toBe('zk://h:2181/mesos')
  })

  it('is linear on megabytes of letters', () => {
    const t = performance.now()
    maskSpec('a'.repeat(5_000_000))
    expect(performance.now() - t).toBeLessThan(2000)
  })

  it('masks known secrets verbatim and URL-encoded, and ignores tiny ones', () => {
    const mask = createMasker(['s3cr3t/x', undefined, 'ab'])
    expect(mask('token s3cr3t/x and s3cr3t%2Fx, ab stays')).toBe('token ******** and ********, ab stays')
  })

  it('cuts long echoes and says how long they were', () => {
    expect(cut('x'.repeat(300))).toBe(`${'x'.repeat(200)}… (300 characters)`)
    expect(cut('short')).toBe('short')
  })

  it('fingerprints show none of their inputs', () => {
    const f = fingerprint(['https', 'ops', 'hunter2'])
    expect(f).toMatch(/^[0-9a-f]{32}$/)
    expect(f).not.toBe(fingerprint(['https', 'ops', 'hunter3']))
  })
})

describe('config edits', () => {
  const cases: [string, string, (string | number)[], unknown][] = [
    ['pretty, new key', '{\n  "default": {\n    "master": "x"\n  }\n}\n', ['default', 'debug'], true],
    ['comments and trailing commas', '{\n  // keep me\n  "default": { "master": "x", }, /* and me */\n}\n', ['default', 'ssh_user'], 'u'],
    ['minified, new profile', '{"profile":"a","a":{"master":"x"}}', ['b'], { master: 'y' }],
    ['replace the active profile', '{"profile": "a", /* c */ "a": {}}', ['profile'], 'b'],
    ['empty object', '{}', ['default'], { master: 'm' }],
    ['tabs and CRLF', '{\r\n\t"default": {\r\n\t\t"master": "x"\r\n\t}\r\n}\r\n', ['n'], { k: 1 }],
    ['remove a key', '{"default": {"master": "x", "debug": true}}', ['default', 'debug'], undefined],
    ['strings that look like structure', '{"x": "{\\"}", "default": {"master": "a,b:{}"}}', ['default', 'debug'], false],
  ]
  for (const [name, text, path, value] of cases) {
    it(name, () => {
      const out = editConfigText(text, path, value)
      const before = parse(text, [], { allowTrailingComma: true }) as Record<string, Record<string, unknown>>
      const after = parse(out, [], { allowTrailingComma: true }) as Record<string, unknown>
      if (path.length === 1) expect(after[path[0] as string]).toEqual(value)
      else {
        const section = after[path[0] as string] as Record<string, unknown>
        expect(section[path[1] as string]).toEqual(value)
        expect(Object.keys(section).filter((k) => k !== path[1])).toEqual(Object.keys(before[path[0] as string]!).filter((k) => k !== path[1]))
      }
      for (const comment of text.match(/\/\/[^\n]*|\/\*.*?\*\//g) ?? []) expect(out).toContain(comment)
    })
  }

  it('keeps a pretty file pretty', () => {
    expect(editConfigText('{\n  "default": {\n    "master": "x"\n  }\n}\n', ['p'], { master: 'y' })).toBe(
      '{\n  "default": {\n    "master": "x"\n  },\n  "p": {\n    "master": "y"\n  }\n}\n',
    )
  })
})

describe('answer shapes', () => {
  const master = { role: 'master', scheme: 'http', host: 'm', port: 5050 } as const
  const agent = { ...master, role: 'agent', port: 5051 } as const
  const bad = (e: typeof master | typeof agent, path: string, body: string) => {
    try {
      parseAnswer(e, path, Buffer.from(body))
    } catch (err) {
      expect(err).toBeInstanceOf(MesosError)
      return [(err as MesosError).kind, (err as Error).message]
    }
    return undefined
  }
  it('names who sent what for which endpoint; master errors are exit 4, agent errors exit 1', () => {
    expect(bad(master, '/master/slaves.json?x=1', '{"slaves": {}}')).toEqual([
      'master',
      'master m:5050 sent an unexpected answer for /master/slaves.json: slaves is an object, not a list',
    ])
    expect(bad(agent, '/slave(1)/monitor/statistics', ' ')).toEqual(['failure', 'agent m:5051 sent an empty answer for /slave(1)/monitor/statistics'])
    expect(bad(agent, '/files/read', '{"data": 1, "offset": 0}')?.[1]).toMatch(/data is a number, not a string$/)
    expect(bad(agent, '/files/browse', '[{"path": "/x"}, {"size": 1}]')?.[1]).toMatch(/\[1\]\.path is missing$/)
  })
  it('accepts what fits, JSONP included, and endpoints it has no shape for', () => {
    expect(bad(master, '/master/state-summary', '{"slaves": [], "frameworks": [{"id": "f", "used_resources": {"cpus": 1}}]}')).toBeUndefined()
    expect(parseAnswer(master, '/version', Buffer.from('cb({"version": "1.0"});'))).toEqual({ version: '1.0' })
    expect(parseAnswer(master, '/metrics/snapshot', Buffer.from('[1]'))).toEqual([1])
  })
})

describe('abort links', () => {
  it('one listener per signal, however many requests wait on it', () => {
    const c = new AbortController()
    let added = 0
    const original = c.signal.addEventListener.bind(c.signal)
    c.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      added++
      original(...args)
    }) as AbortSignal['addEventListener']
    const cancelled: number[] = []
    const unlinks = Array.from({ length: 100 }, (_, i) => onAbort([c.signal], () => cancelled.push(i)))
    unlinks[3]!()
    c.abort()
    expect(added).toBe(1)
    expect(cancelled).toHaveLength(99)
  })
})

describe('the config lock', () => {
  it('an empty lock (being written right now) is not taken over while fresh', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesos-lock-'))
    const file = join(dir, 'c.json')
    writeFileSync(`${file}.lock`, '')
    let ran = false
    const held = withFileLock(file, async () => {
      ran = true
    })
    // the waiter polls many times meanwhile, and must leave the lock alone
    for (let i = 0; i < 200; i++) await new Promise((r) => setImmediate(r))
    expect(ran).toBe(false)
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe('')
    const { rmSync } = await import('node:fs')
    rmSync(`${file}.lock`)
    await held
    expect(ran).toBe(true)
    expect(() => readFileSync(`${file}.lock`)).toThrow()
  })
})
