/** The completion engine over fixed command definitions and a fixed task index: no I/O. */
import { describe, expect, it } from 'vitest'
import { completionGrammar } from '../../src/cli/complete.js'
import type { AnyCommand } from '../../src/cli/grammar/types.js'
import { type Completion, complete, Directive, type Sources, valuesOf } from '../../src/core/completion/engine.js'
import { IdList } from '../../src/core/completion/ids.js'

const run = async () => {}
const cmd = (def: Partial<AnyCommand> & { id: string }): AnyCommand => ({ summary: `${def.id} summary`, args: {}, flags: {}, run, ...def })
const taskFlags = {
  inactive: { kind: 'boolean', char: 'i', description: 'include completed tasks' },
  quiet: { kind: 'boolean', char: 'q', description: 'no headers' },
} as const
const task = { description: 'task', required: true, completes: 'task' } as const

/** Command definitions as the CLI writes them; the engine sees them through completionGrammar. */
const definitions: AnyCommand[] = [
  cmd({
    id: 'tail',
    args: { task, file: { description: 'files', variadic: true, completes: 'sandbox-path' } },
    flags: { ...taskFlags, lines: { kind: 'integer', char: 'n', description: 'lines' } },
  }),
  cmd({ id: 'cat', args: { task, file: { description: 'files', variadic: true, completes: 'sandbox-path' } }, flags: taskFlags }),
  cmd({ id: 'ls', args: { task, path: { description: 'path', completes: 'sandbox-path' } }, flags: taskFlags }),
  cmd({
    id: 'config',
    summary: 'Show or change the configuration.',
    globals: ['profile', 'debug', 'master'],
    args: { key: { description: 'key', completes: 'config-key' }, value: { description: 'value', completes: 'config-value' } },
    flags: { unset: { kind: 'boolean', description: 'remove' } },
  }),
  cmd({ id: 'state', summary: 'Print state.', args: { agent: { description: 'agent', completes: 'agent' } } }),
  cmd({ id: 'agents', aliases: ['slaves'], summary: 'List agents.', args: { agent: { description: 'agent', completes: 'agent' } } }),
  cmd({
    id: 'ssh',
    summary: 'Open a shell.',
    args: { task, command: { description: 'command', rest: true } },
    flags: {
      'strict-host-key-checking': { kind: 'string', description: 'host keys', completes: 'ssh-strict' },
      'identity-file': { kind: 'list', description: 'key', helpValue: '<path>', completes: 'local-file' },
      'secret-thing': { kind: 'boolean', description: 'hidden', hidden: true },
    },
  }),
  cmd({
    id: 'scp',
    summary: 'Copy files to agents.',
    args: {
      file: { description: 'files', required: true, variadic: true, completes: 'local-file' },
      remote_path: { description: 'remote', required: true },
    },
    flags: { agent: { kind: 'string', description: 'agents matching', completes: 'agent' } },
  }),
  cmd({
    id: 'sim up',
    summary: 'Run a simulated cluster.',
    flags: { 'mesos-version': { kind: 'string', description: 'version', options: ['1.11.0', '0.28.0'] } },
  }),
  cmd({ id: 'sim ctl', summary: 'Control the simulator.', args: { action: { description: 'action' } } }),
  cmd({ id: 'completion', summary: 'Print a completion script.', globals: [], args: { shell: { description: 'shell', options: ['bash', 'zsh', 'fish'] } } }),
  cmd({ id: 'secret', hidden: true, summary: 'hidden' }),
  cmd({
    // -e gives PATTERN: then the first word is the TASK
    id: 'grep',
    args: {
      pattern: { description: 'pattern', required: true, givenByFlag: 'regexp' },
      task: { ...task, required: false },
      file: { description: 'files', variadic: true, completes: 'sandbox-path' },
    },
    flags: { ...taskFlags, regexp: { kind: 'list', char: 'e', description: 'a pattern' } },
  }),
]

const ACTIVE = ['flink.0a1b', 'taskmanager-00001', 'taskmanager-00002', 'taskmanager-00004', 'web.1', 'web.10']
const DONE = ['taskmanager-00003', 'wordcount-00001']
const AGENTS = [
  { id: 'S0-aaaa', hostname: 'node-1.example' },
  { id: 'S1-bbbb', hostname: 'node-2.example' },
]
const SANDBOX: Record<string, Record<string, { name: string; dir: boolean }[]>> = {
  'taskmanager-00001': {
    '': [
      { name: 'stdout', dir: false },
      { name: 'stderr', dir: false },
      { name: 'flink-taskmanager.log', dir: false },
      { name: 'logs', dir: true },
    ],
    'logs/': [
      { name: 'gc.log', dir: false },
      { name: 'flink', dir: true },
    ],
  },
  'taskmanager-00002': { '': [{ name: 'stdout', dir: false }, { name: 'extra.txt', dir: false }] },
}

function sources(over: Partial<Sources> = {}): Sources {
  return {
    commands: completionGrammar(definitions),
    plugins: () => [{ value: 'wholeads', description: 'plugin /usr/local/bin/mesos-wholeads' }],
    profiles: () => ['default', 'prod', 'staging'],
    configKeys: () => [
      { value: 'profile', description: 'the active profile' },
      { value: 'master', description: 'master spec' },
      { value: 'max_workers', description: 'concurrent requests' },
      { value: 'scheme', description: 'http or https' },
      { value: 'insecure', description: 'skip TLS verification' },
    ],
    configValues: (key) => ({ scheme: ['http', 'https'], insecure: ['true', 'false'] })[key] ?? [],
    tasks: async (inactive) => IdList.of(inactive ? [...ACTIVE, ...DONE] : ACTIVE),
    agents: async () => AGENTS,
    sandbox: async (filter, inactive, dir) => {
      const ids = (inactive ? [...ACTIVE, ...DONE] : ACTIVE).filter((id) => id === filter || id.includes(filter))
      const exact = ids.filter((id) => id === filter)
      const out = (exact.length ? exact : ids).flatMap((id) => SANDBOX[id]?.[dir] ?? [])
      return out.length ? out : undefined
    },
    ...over,
  }
}

const values = (c: Completion) => valuesOf(c)

describe('complete: what each position offers', () => {
  const cases: [string, string[], string[], number?][] = [
    // [name, words (last = the word under the cursor), expected values, directive]
    ['top-level commands and topics by prefix', ['ta'], ['tail']],
    ['every command, help and plugins, no hidden ones', [''], ['agents', 'cat', 'completion', 'config', 'grep', 'help', 'ls', 'scp', 'sim', 'slaves', 'ssh', 'state', 'tail', 'wholeads']],
    ['plugins complete like built-ins', ['who'], ['wholeads']],
    ['a topic offers its subcommands', ['sim', ''], ['ctl', 'up']],
    ['subcommand prefix', ['sim', 'u'], ['up']],
    ['global flags before the command', ['--prof'], ['--profile']],
    ['flag value before the command', ['--profile', 's'], ['staging']],
    ['after global flags, commands again', ['--profile', 'prod', 'c'], ['cat', 'completion', 'config']],
    ['flags of the command', ['tail', '--in'], ['--inactive']],
    ['short flags offered after a lone dash', ['cat', '-'], ['--master', '--profile', '--timeout', '--debug', '--no-color', '--inactive', '-i', '--quiet', '-q', '--help']],
    ['a flag already given is not offered again', ['tail', '--inactive', '--i'], []],
    ['active task IDs by prefix', ['tail', 'task'], ['taskmanager-00001', 'taskmanager-00002', 'taskmanager-00004']],
    ['-i adds completed tasks', ['tail', '-i', 'task'], ['taskmanager-00001', 'taskmanager-00002', 'taskmanager-00003', 'taskmanager-00004']],
    ['--inactive after the task word still counts when before the cursor', ['cat', '--inactive', 'word'], ['wordcount-00001']],
    ['combined short flags: -qi', ['cat', '-qi', 'word'], ['wordcount-00001']],
    ['completed tasks hidden without -i', ['cat', 'word'], []],
    ['a fragment completes to the IDs that contain it', ['tail', '0000'], ['taskmanager-00001', 'taskmanager-00002', 'taskmanager-00004'], Directive.noFilter],
    ['a glob completes to the IDs it matches', ['tail', 'web.?'], ['web.1'], Directive.noFilter],
    ['an option value is skipped before the task', ['tail', '-n', '5', 'web'], ['web.1', 'web.10']],
    ['attached option value', ['tail', '-n5', 'web.1'], ['web.1', 'web.10']],
    ['sandbox files of the task', ['tail', 'taskmanager-00001', 'fli'], ['flink-taskmanager.log']],
    ['every sandbox entry, directories with /', ['tail', 'taskmanager-00001', ''], ['flink-taskmanager.log', 'logs/', 'stderr', 'stdout']],
    ['a single directory: no space after it', ['ls', 'taskmanager-00001', 'lo'], ['logs/'], Directive.noSpace],
    ['inside a directory', ['cat', 'taskmanager-00001', 'logs/'], ['logs/flink/', 'logs/gc.log']],
    ['later FILE arguments of a variadic command', ['cat', 'taskmanager-00001', 'stdout', 'st'], ['stderr', 'stdout']],
    ['entries of every matching task, merged', ['cat', 'taskmanager-0000', 'e'], ['extra.txt']],
    ['no sandbox for a task that matches nothing', ['cat', 'nothing', ''], []],
    ['a second positional of a strict command has nothing after it', ['ls', 'web.1', 'x', ''], []],
    ['config keys', ['config', 'ma'], ['master', 'max_workers']],
    ['config enumerated values', ['config', 'scheme', ''], ['http', 'https']],
    ['config booleans', ['config', 'insecure', 't'], ['true']],
    ['config profile names', ['config', 'profile', ''], ['default', 'prod', 'staging']],
    ['config free-form value: nothing', ['config', 'master', ''], []],
    ['agents by ID or hostname', ['state', 'node-'], ['node-1.example', 'node-2.example']],
    ['agents by ID prefix', ['agents', 'S1'], ['S1-bbbb']],
    ['an alias works like its command', ['slaves', 'S0'], ['S0-aaaa']],
    ['agents by fragment', ['state', 'bbb'], ['S1-bbbb'], Directive.noFilter],
    ['--profile values', ['tail', '--profile', 'p'], ['prod']],
    ['--profile=VALUE keeps the flag in the candidate', ['tail', '--profile=st'], ['--profile=staging']],
    ['--flag= with options', ['sim', 'up', '--mesos-version='], ['--mesos-version=1.11.0', '--mesos-version=0.28.0']],
    ['strict host key modes', ['ssh', '--strict-host-key-checking', ''], ['yes', 'no', 'accept-new', 'ask']],
    ['hidden flags are never offered', ['ssh', '--sec'], []],
    ['a repeatable flag is offered again', ['ssh', '--identity-file', 'k1', '--iden'], ['--identity-file']],
    ['a flag given twice still takes its value', ['tail', '--profile', 'prod', '--profile', 'st'], ['staging']],
    ['a path-valued flag asks for local files', ['ssh', '--identity-file', ''], [], Directive.files],
    ['scp FILE is a local file', ['scp', ''], [], Directive.files],
    ['scp: more FILEs, or the REMOTE_PATH: local files', ['scp', 'a', 'b', ''], [], Directive.files],
    ['ssh TASK -- COMMAND: nothing of ours after --', ['ssh', 'web.1', '--', ''], []],
    ['ssh takes one TASK', ['ssh', 'web.1', 'web'], []],
    ['scp --agent values', ['scp', '--agent', 'node-2'], ['node-2.example']],
    ['argument options from the definition', ['completion', 'z'], ['zsh']],
    ['help completes command paths', ['help', 'sim', ''], ['ctl', 'up']],
    ['a plugin completes its own arguments as local files', ['wholeads', ''], [], Directive.files],
    ['nothing after -- for a strict command', ['ls', '--', ''], []],
    ['grep PATTERN: nothing to offer for the pattern', ['grep', 'ERR'], []],
    ['grep PATTERN TASK', ['grep', 'ERROR', 'task'], ['taskmanager-00001', 'taskmanager-00002', 'taskmanager-00004']],
    ['grep PATTERN TASK FILE', ['grep', 'ERROR', 'taskmanager-00001', 'fli'], ['flink-taskmanager.log']],
    ['grep -e PATTERN: the first word is the TASK', ['grep', '-e', 'ERROR', 'task'], ['taskmanager-00001', 'taskmanager-00002', 'taskmanager-00004']],
    ['grep -e PATTERN TASK FILE', ['grep', '-e', 'ERROR', 'taskmanager-00001', 'fli'], ['flink-taskmanager.log']],
    ['grep --regexp=PATTERN and -ie PATTERN move the words too', ['grep', '--regexp=x', '-ie', 'y', 'word'], ['wordcount-00001']],
    ['grep: -e after the task still moves the words', ['grep', 'taskmanager-00001', '-e', 'ERROR', 'st'], ['stderr', 'stdout']],
  ]
  it.each(cases)('%s', async (_name, words, expected, directive = Directive.none) => {
    const c = await complete(sources(), words)
    expect(values(c)).toEqual(expected)
    expect(c.directive).toBe(directive)
  })

  it('task IDs travel as one block of text', async () => {
    const c = await complete(sources(), ['tail', 'task'])
    expect(c.candidates).toEqual([])
    expect(c.block).toBe('taskmanager-00001\ntaskmanager-00002\ntaskmanager-00004')
  })

  it("the real grep: -e PATTERN gives PATTERN, so the next word completes a task", async () => {
    const grep = completionGrammar().find((c) => c.words.join(' ') === 'grep')!
    expect(grep.args.map((a) => [a.name, a.givenByFlag])).toEqual([['pattern', 'regexp'], ['task', undefined], ['file', undefined]])
    const c = await complete(sources({ commands: [grep] }), ['grep', '-e', 'ERROR', 'taskm'])
    expect(values(c)).toEqual(['taskmanager-00001', 'taskmanager-00002', 'taskmanager-00004'])
  })

  it('describes commands and flags', async () => {
    const c = await complete(sources(), ['ta'])
    expect(c.candidates).toEqual([{ value: 'tail', description: 'tail summary' }])
    const f = await complete(sources(), ['tail', '--qu'])
    expect(f.candidates).toEqual([{ value: '--quiet', description: 'no headers' }])
  })

  it('an unknown cluster (no data) completes commands and flags but no task', async () => {
    const src = sources({ tasks: async () => undefined, agents: async () => undefined, sandbox: async () => undefined })
    expect(values(await complete(src, ['tail', 'task']))).toEqual([])
    expect(values(await complete(src, ['state', '']))).toEqual([])
    expect(values(await complete(src, ['tail', '--qu']))).toEqual(['--quiet'])
    expect(values(await complete(src, ['ca']))).toEqual(['cat'])
  })

  it('a built-in hides a plugin of the same name', async () => {
    // the real sources filter built-in names out; the engine keeps a built-in's description
    const src = sources({ plugins: () => [{ value: 'tail', description: 'plugin /bin/mesos-tail' }] })
    expect((await complete(src, ['tai'])).candidates).toEqual([{ value: 'tail', description: 'tail summary' }])
  })
})

describe('IdList', () => {
  const ids = IdList.of(['b-2', 'a-1', 'b-1', 'a-1', 'c-3'])

  it('keeps IDs sorted and unique', () => {
    expect(ids.joined).toBe('a-1\nb-1\nb-2\nc-3')
    expect(ids.size).toBe(4)
  })

  it('finds by prefix, by fragment and by glob', () => {
    expect(ids.withPrefix('b')).toEqual(['b-1', 'b-2'])
    expect(ids.withPrefix('')).toEqual(['a-1', 'b-1', 'b-2', 'c-3'])
    expect(ids.withPrefix('x')).toEqual([])
    expect(ids.matching('-1')).toEqual(['a-1', 'b-1'])
    expect(ids.matching('[ab]-?')).toEqual(['a-1', 'b-1', 'b-2'])
  })

  it('an empty list finds nothing', () => {
    const none = new IdList('')
    expect(none.withPrefix('')).toEqual([])
    expect(none.matching('a')).toEqual([])
    expect(none.size).toBe(0)
  })

  it('a prefix block ends where the prefix stops matching', () => {
    const list = IdList.of(['ab', 'abc', 'abd', 'ac', 'b'])
    expect(list.withPrefix('ab')).toEqual(['ab', 'abc', 'abd'])
    expect(list.withPrefix('abd')).toEqual(['abd'])
    expect(list.withPrefix('b')).toEqual(['b'])
    expect(list.withPrefix('bz')).toEqual([])
    expect(list.withPrefix('a\nb')).toEqual([])
  })
})

describe('the __complete output', () => {
  it('one candidate per line, descriptions after a tab, the block, then the directive', async () => {
    const { formatCompletion } = await import('../../src/core/completion/protocol.js')
    const out = formatCompletion({
      candidates: [
        { value: 'tail', description: 'Print the last lines;\n-f\tfollows' },
        { value: 'bad\nvalue' },
        { value: 'a\tb' },
      ],
      block: 'id-1\nid-2',
      directive: Directive.noSpace | Directive.noFilter,
    })
    expect(out).toBe('tail\tPrint the last lines; -f follows\na b\nid-1\nid-2\n:5\n')
    expect(formatCompletion({ candidates: [], directive: 0 })).toBe(':0\n')
  })
})
