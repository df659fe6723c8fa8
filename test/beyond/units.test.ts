/** The pure parts of download, grep, tail --prefix and top: no cluster needed. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { prefixLabel } from '../../src/cli/render/prefix.js'
import { topScreen } from '../../src/cli/render/top-screen.js'
import { DEFAULT_SORT, nextSort, sortLabel, sortRows } from '../../src/cli/render/top-sort.js'
import { byCpu, cpuPercent, type TopRow } from '../../src/core/cluster/top.js'
import { cleanSandboxPath, isUpToDate, modeBits, taskDirName } from '../../src/core/sandbox/download.js'
import { caseVariants, foldCase } from '../../src/core/sandbox/grep-case.js'
import { countNewlines, countNewlinesByWord, SourceLines } from '../../src/core/sandbox/grep-lines.js'
import { compilePattern, posixToJs, requiredLiteral, scanLines, scanLiteral, scanWithout, utf8AsLatin1 } from '../../src/core/sandbox/grep-pattern.js'

describe('top arithmetic', () => {
  it('CPU% is the CPU seconds spent over the seconds between the samples', () => {
    expect(cpuPercent({ cpuSecs: 10, at: 100 }, { cpuSecs: 11, at: 102 })).toBe(50)
    expect(cpuPercent({ cpuSecs: 10, at: 100 }, { cpuSecs: 16, at: 102 })).toBe(300) // three cores busy
    expect(cpuPercent({ cpuSecs: 1.25, at: 0 }, { cpuSecs: 1.5, at: 3 })).toBe(8.3)
  })

  it('no rate without two samples, with time standing still, or with a counter that went back', () => {
    expect(cpuPercent(undefined, { cpuSecs: 1, at: 1 })).toBeNull()
    expect(cpuPercent({ cpuSecs: 1, at: 5 }, { cpuSecs: 2, at: 5 })).toBeNull()
    expect(cpuPercent({ cpuSecs: 50, at: 1 }, { cpuSecs: 2, at: 3 })).toBeNull()
  })

  it('sorts by CPU, rows without a rate last, then by ID', () => {
    const row = (id: string, cpu: number | null) => ({ id, cpu_percent: cpu }) as TopRow
    const sorted = [row('b', null), row('a', 5), row('c', 50), row('a2', null), row('d', 5)].sort(byCpu)
    expect(sorted.map((r) => r.id)).toEqual(['c', 'a', 'd', 'a2', 'b'])
  })

  it('keys choose the order: c %CPU, m RSS, t TIME, n ID, s STATE, r reverses; unknown values last', () => {
    const row = (id: string, state: string, cpu: number | null, rss: number | null, time: number | null) =>
      ({ id, state, cpu_percent: cpu, rss_bytes: rss, cpu_time_secs: time }) as TopRow
    const rows = [row('b', 'TASK_RUNNING', 5, 300, 9), row('a', 'TASK_FINISHED', null, null, 2), row('c', 'TASK_RUNNING', 50, 100, null)]
    const ids = (keys: string) => {
      let s = DEFAULT_SORT
      for (const k of keys) s = nextSort(s, k) ?? s
      return [sortLabel(s), sortRows(rows, s).map((r) => r.id).join('')]
    }
    expect(ids('')).toEqual(['sorted by %CPU', 'cba'])
    expect(ids('m')).toEqual(['sorted by RSS', 'bca'])
    expect(ids('t')).toEqual(['sorted by TIME', 'bac'])
    expect(ids('n')).toEqual(['sorted by ID', 'abc'])
    expect(ids('nr')).toEqual(['sorted by ID, reversed', 'cba'])
    expect(ids('s')).toEqual(['sorted by STATE', 'acb'])
    expect(ids('nrc')).toEqual(['sorted by %CPU', 'cba'])
    expect(ids('x?')).toEqual(['sorted by %CPU', 'cba'])
    expect(nextSort(DEFAULT_SORT, 'q')).toBeUndefined()
  })

  it('the screen is cut to the terminal and its cluster text made inert', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({
      id: `evil\x1b[2J-${i}`,
      state: 'TASK_RUNNING',
      framework_id: 'f',
      agent_id: 'a',
      hostname: 'h',
      cpu_percent: i,
      cpus_limit: 1,
      cpu_time_secs: 60,
      rss_bytes: 1024,
      mem_limit_bytes: 2048,
      mem_percent: 50,
    }))
    const text = topScreen({ rows, agents: 1 }, { columns: 60, rows: 10, intervalSec: 2, status: 'now' })
    const lines = text.split('\r\n')
    expect(lines).toHaveLength(9)
    expect(text).not.toContain('\x1b[2J')
    // the escaped form is shown (shortened in the middle to fit 60 columns)
    expect(text).toContain('evil\\x')
    for (const l of lines) expect(l.replace(/\x1b\[[HKJ]/g, '').length).toBeLessThanOrEqual(60)
  })

  it('long IDs on a narrow screen are shortened in the middle and stay distinct', () => {
    const row = (id: string) => ({
      id,
      state: 'TASK_RUNNING',
      framework_id: 'f',
      agent_id: 'a',
      hostname: 'agent-host-number-one.datacenter.example.com',
      cpu_percent: 1,
      cpus_limit: 1,
      cpu_time_secs: 60,
      rss_bytes: 1024,
      mem_limit_bytes: 2048,
      mem_percent: 50,
    })
    const ids = ['flink-taskmanager-0001-a4f0c1d2-7e3b-4c55-9a61-0123456789ab', 'flink-taskmanager-0001-a4f0c1d2-7e3b-4c55-9a61-ba9876543210']
    const text = topScreen({ rows: ids.map(row), agents: 1 }, { columns: 80, rows: 10, intervalSec: 2, status: 'now' })
    const body = text.split('\r\n').slice(3).map((l) => l.replace(/\x1b\[[HKJ]/g, '')).filter((l) => l !== '')
    expect(body).toHaveLength(2)
    for (const l of body) expect(l.length).toBeLessThanOrEqual(80)
    const shown = body.map((l) => l.trim().split(/\s+/).at(-1)!)
    expect(shown.every((s) => s.includes('…'))).toBe(true)
    expect(new Set(shown).size).toBe(2)
  })
})

describe('download helpers', () => {
  it('task IDs become one safe directory name', () => {
    expect(taskDirName('taskmanager-00001')).toBe('taskmanager-00001')
    expect(taskDirName('a/b\\c\x1bd')).toBe('a_b_c_d')
    expect(taskDirName('..')).toBe('_..')
    expect(taskDirName('.')).toBe('_.')
  })

  it('mode strings become permission bits', () => {
    expect(modeBits('-rwxr-x---')).toBe(0o750)
    expect(modeBits('drwxr-xr-x')).toBe(0o755)
    expect(modeBits('-rw-------')).toBe(0o600)
    expect(modeBits('-rwsr-xr-t')).toBe(0o755)
  })

  it('PATH arguments stay inside the sandbox', () => {
    expect(cleanSandboxPath('logs/')).toBe('logs')
    expect(cleanSandboxPath('/logs/./app.log')).toBe('logs/app.log')
    expect(cleanSandboxPath('.')).toBe('')
    expect(cleanSandboxPath('a/../b')).toBe('b')
    expect(() => cleanSandboxPath('../x')).toThrow(/leaves the sandbox/)
    expect(() => cleanSandboxPath('a/../../x')).toThrow(/leaves the sandbox/)
  })

  it('complete means the same size and the same mtime in whole seconds', () => {
    expect(isUpToDate({ size: 10, mtimeMs: 1_600_000_000_999 }, { size: 10, mtime: 1_600_000_000 })).toBe(true)
    expect(isUpToDate({ size: 9, mtimeMs: 1_600_000_000_000 }, { size: 10, mtime: 1_600_000_000 })).toBe(false)
    expect(isUpToDate({ size: 10, mtimeMs: 1_600_000_001_000 }, { size: 10, mtime: 1_600_000_000 })).toBe(false)
  })
})

describe('tail --prefix labels', () => {
  it('splits TASK_ID:FILE on the known file, whatever colons the task ID has', () => {
    expect(prefixLabel('tm:3:stdout', ['stdout', 'stderr'])).toBe('tm:3 stdout')
    expect(prefixLabel('a:logs/x:y.log', ['logs/x:y.log'])).toBe('a logs/x:y.log')
  })
})

describe('grep patterns', () => {
  it('translates POSIX basic and extended syntax', () => {
    expect(posixToJs('a\\(b\\)\\{2\\}c|d+', false)).toBe('a(b){2}c\\|d\\+')
    expect(posixToJs('a(b){2}c|d+', true)).toBe('a(b){2}c|d+')
    expect(posixToJs('[[:digit:]]x[^]a]', true)).toBe('[0-9]x[^\\]a]')
    expect(posixToJs('*a', false)).toBe('\\*a')
    expect(posixToJs('\\<word\\>', true)).toBe('\\b(?=[0-9A-Za-z_])word\\b(?<=[0-9A-Za-z_])')
    expect(posixToJs('a{x', true)).toBe('a\\{x')
    expect(posixToJs('a**b+?c{,2}', true)).toBe('(?:a*)*(?:b+)?c{0,2}')
    expect(posixToJs('*a', true)).toBe('(?:)*a')
    expect(posixToJs('\\d\\s', false)).toBe('d[ \\t\\n\\v\\f\\r]')
    expect(() => posixToJs('[abc', true)).toThrow(/unmatched \[/)
  })

  it('non-ASCII pattern characters match their UTF-8 bytes', () => {
    const m = compilePattern({ pattern: 'é', fixed: true, extended: false, ignoreCase: false })
    expect(m.line.test(Buffer.from('café').toString('latin1'))).toBe(true)
    expect(utf8AsLatin1('é')).toBe('\xc3\xa9')
  })

  it('--ignore-case folds a non-ASCII pattern itself: whole UTF-8 characters in any case, never Latin-1 lead bytes', () => {
    expect(foldCase('ÄRGER')).toBe('(?:Ä|ä)[Rr][Gg][Ee][Rr]')
    expect(foldCase('x\\.[b-dé-]\\w\\x41')).toBe('[xX]\\.(?:[B-Db-d-]|é|É)\\w\\x41')
    expect(foldCase('[^Ü]')).toBe('[^Ü]')
    expect(caseVariants('ß')).toEqual(['ß'])
    const latin1 = (s: string) => Buffer.from(s).toString('latin1')
    const letters = ['a', 'B', 'ä', 'Ä', 'é', 'Ö', 'ü', ' ', 'x', 'ø']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom(...letters, '㄄'), { maxLength: 12 }), (p, l) => {
        const pattern = p.join('')
        const line = l.join('')
        for (const fixed of [true, false]) {
          const m = compilePattern({ pattern, fixed, extended: false, ignoreCase: true })
          expect(m.literal).toBeUndefined()
          expect(m.line.test(latin1(line))).toBe(line.toLowerCase().includes(pattern.toLowerCase()))
        }
      }),
      { numRuns: 2000 },
    )
    // regexes with classes and repetition against JavaScript's own Unicode case-insensitive matching
    const atoms = ['a', 'B', 'ä', 'Ö', 'é', '[aÄ]', '[b-dÉ]', '[Ö-]', 'x*', 'ä+', 'Ö?', '(a|Ü)']
    const text = ['a', 'A', 'b', 'C', 'ä', 'Ä', 'ö', 'Ö', 'é', 'É', 'ü', 'Ü', 'x', '-', '㄄']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...atoms), { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom(...text), { maxLength: 10 }), (p, l) => {
        const pattern = p.join('')
        const line = l.join('')
        const m = compilePattern({ pattern, fixed: false, extended: true, ignoreCase: true })
        expect(m.line.test(latin1(line))).toBe(new RegExp(pattern, 'iu').test(line))
      }),
      { numRuns: 3000 },
    )
    // U+3104 is E3 84 84: its lead byte is Ã's lower case in Latin-1, its second byte Ä's second
    const m = compilePattern({ pattern: 'Ä', fixed: true, extended: false, ignoreCase: true })
    expect([m.line.test(latin1('㄄')), m.line.flags.includes('i')]).toEqual([false, false])
    expect(compilePattern({ pattern: 'abc', fixed: true, extended: false, ignoreCase: true }).line.flags).toContain('i')
  })

  const select = (text: string, pattern: string, invert = false, extended = true) => {
    const m = compilePattern({ pattern, fixed: false, extended, ignoreCase: false })
    const out: string[] = []
    scanLines(text, m, invert, (s, e) => void out.push(text.slice(s, e)))
    return out
  }

  it('the block search selects exactly the lines a line-by-line test does', () => {
    const patterns = ['a', 'a.b', '^b', 'b$', 'a[^x]*b', 'a\\s*$', '', '^$', 'x|^a', '\\<b', 'a\\>', '\\bab', 'b\\B', '\\`a', "b\\'"]
    fc.assert(
      fc.property(fc.stringMatching(/^[abx \r\n]{0,40}$/), fc.constantFrom(...patterns), fc.boolean(), (text, pattern, invert) => {
        const lines = text === '' ? [] : text.split('\n')
        if (text.endsWith('\n')) lines.pop()
        // the exact one-line pattern, tested line by line
        const re = compilePattern({ pattern, fixed: false, extended: true, ignoreCase: false }).line
        const expected = lines.filter((l) => re.test(l) !== invert)
        expect(select(text, pattern, invert)).toEqual(expected)
      }),
      { numRuns: 2000 },
    )
  })

  it('a plain string is searched in the bytes, selecting the same lines', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[abx\n]{0,40}$/), fc.constantFrom('a', 'ab', 'xa', 'bb'), (text, pattern) => {
        const m = compilePattern({ pattern, fixed: false, extended: false, ignoreCase: false })
        expect(m.literal).toEqual(Buffer.from(pattern))
        const fast: string[] = []
        scanLiteral(Buffer.from(text, 'latin1'), m.literal!, (s, e) => void fast.push(text.slice(s, e)))
        expect(fast).toEqual(select(text, pattern))
      }),
      { numRuns: 1000 },
    )
    expect(compilePattern({ pattern: 'a.b', fixed: false, extended: false, ignoreCase: false }).literal).toBeUndefined()
    expect(compilePattern({ pattern: 'a.b', fixed: true, extended: false, ignoreCase: false }).literal).toEqual(Buffer.from('a.b'))
    expect(compilePattern({ pattern: 'ab', fixed: true, extended: false, ignoreCase: true }).literal).toBeUndefined()
  })

  it('newlines are counted four bytes at a time, exactly, at any alignment', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(8), fc.nat(8), (bytes, cut, trim) => {
        const buf = Buffer.from(bytes.map((b) => (b % 3 === 0 ? 0x0a : b)))
        const from = Math.min(cut, buf.length)
        const to = Math.max(from, buf.length - trim)
        expect(countNewlines(buf, from, to)).toBe([...buf.subarray(from, to)].filter((b) => b === 0x0a).length)
      }),
      { numRuns: 2000 },
    )
  })

  it('newlines are counted exactly whether lines are long (a search per line) or short (word by word, from where they prove short)', () => {
    const naive = (buf: Buffer, from: number, to: number) => [...buf.subarray(from, to)].filter((b) => b === 0x0a).length
    fc.assert(
      fc.property(fc.array(fc.nat(120), { maxLength: 400 }), fc.nat(300), fc.nat(300), (gaps, cut, trim) => {
        // lines of the given lengths: long ones, short ones, and runs that switch the counter midway
        const buf = Buffer.concat(gaps.map((g) => Buffer.from(`${'x'.repeat(g)}\n`)))
        const from = Math.min(cut, buf.length)
        const to = Math.max(from, buf.length - trim)
        expect(countNewlines(buf, from, to)).toBe(naive(buf, from, to))
        expect(countNewlinesByWord(buf, from, to)).toBe(naive(buf, from, to))
      }),
      { numRuns: 1000 },
    )
    // more than 255 words of newlines: the byte lanes are emptied before they overflow
    const dense = Buffer.alloc(5000, 0x0a)
    expect(countNewlines(dense, 1, 4999)).toBe(4998)
    expect(countNewlinesByWord(dense, 3, 5000)).toBe(4997)
  })

  it('-v with a plain string selects the lines without it, as the line-by-line test does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[abx\n]{0,60}$/), fc.constantFrom('a', 'ab', 'xa', 'bb', 'aba'), (text, pattern) => {
        const got: string[] = []
        scanWithout(text, pattern, (s, e) => void got.push(text.slice(s, e)))
        expect(got).toEqual(select(text, pattern, true))
        const m = compilePattern({ pattern, fixed: true, extended: false, ignoreCase: false })
        const counter = new SourceLines(m, { invert: true, output: 'count', lineNumbers: false, onlyMatching: false, before: 0, after: 0, separators: false })
        counter.block(Buffer.from(text, 'latin1'))
        expect(counter.selected).toBe(got.length)
      }),
      { numRuns: 2000 },
    )
    let calls = 0
    scanWithout('x\ny\nz\n', 'a', () => (++calls, false))
    expect(calls).toBe(1)
  })

  it('a required literal is in every line the pattern matches, and the search with it selects the same lines', () => {
    expect(requiredLiteral('checkpoint .* failed')).toBe('checkpoint ')
    expect(requiredLiteral('ab*cdef?')).toBe('cde')
    expect(requiredLiteral('x[abc]yz\\.w')).toBe('yz.w')
    expect(requiredLiteral('\\bword\\d+')).toBe('word')
    expect(requiredLiteral('a|bcd')).toBeUndefined()
    expect(requiredLiteral('(abc)')).toBeUndefined()
    expect(compilePattern({ pattern: 'took [0-9]* ms', fixed: false, extended: false, ignoreCase: false }).required).toEqual(Buffer.from('took '))
    expect(compilePattern({ pattern: 'took [0-9]* ms', fixed: false, extended: false, ignoreCase: true }).required).toBeUndefined()
    const atoms = ['a', 'b', 'ab', 'ba', '.', '*', '+', '?', '{2}', '[ab]', '^', '$', '\\w', 'x']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...atoms), { minLength: 1, maxLength: 7 }), fc.stringMatching(/^[abx \n]{0,60}$/), (parts, text) => {
        const pattern = parts.join('')
        let m
        try {
          m = compilePattern({ pattern, fixed: false, extended: true, ignoreCase: false })
        } catch {
          return
        }
        const lines = text === '' ? [] : text.split('\n')
        if (text.endsWith('\n')) lines.pop()
        const lit = requiredLiteral(m.line.source)
        for (const l of lines) if (lit !== undefined && m.line.test(l)) expect(l).toContain(lit)
        const got = new SourceLines(m, { invert: false, output: 'lines', lineNumbers: false, onlyMatching: false, before: 0, after: 0, separators: false })
          .block(Buffer.from(text, 'latin1'))
          .map((x) => x!.text.toString('latin1').slice(0, -1))
        expect(got).toEqual(lines.filter((l) => m.line.test(l)))
        const counter = new SourceLines(m, { invert: true, output: 'count', lineNumbers: false, onlyMatching: false, before: 0, after: 0, separators: false })
        counter.block(Buffer.from(text, 'latin1'))
        expect(counter.selected).toBe(lines.filter((l) => !m.line.test(l)).length)
      }),
      { numRuns: 3000 },
    )
  })

  it('stops when told to (grep -l)', () => {
    const m = compilePattern({ pattern: 'a', fixed: true, extended: false, ignoreCase: false })
    let hits = 0
    scanLines('a\na\na\n', m, false, () => (++hits, false))
    expect(hits).toBe(1)
  })
})
