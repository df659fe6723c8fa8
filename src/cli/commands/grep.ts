import { inactiveFlag, taskArg } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'grep',
  readsCluster: true,
  summary: "Search files in the sandboxes of every matching task, as grep does.",
  description: `FILE defaults to stdout and stderr. Every (task, file) is streamed from /files/download and searched as it arrives, max_workers at once, without ever holding a whole file; output comes in task ID, then file order. With several sources each line is prefixed TASK_ID:FILE: (-q drops it, as grep -h does); -n adds the line number, -c prints a count per source, -l only the names of sources with a match.

PATTERN is a POSIX basic regular expression (-E: extended, -F: a fixed string); -e PATTERN may be repeated instead (then the first word is the task). -w and -x match whole words or lines, -o prints only the matches, -m NUM stops after NUM selected lines, -A/-B/-C print context lines (TASK_ID:FILE-NUM-LINE), with -- between groups, as grep does. A file with a NUL byte is binary, as for grep: once one shows, a selected line is reported on stderr as "TASK_ID:FILE: binary file matches" instead of printed (-a prints it as text). -h is help, as in every mesos command: use -q or --no-filename to drop the prefixes. lines are matched as bytes (like LC_ALL=C grep), so a line that is not valid UTF-8 is matched and printed exactly as it is. --ignore-case ignores case as grep does in a UTF-8 locale (ÄRGER matches ärger). Note that -i means --inactive here, as in every mesos command.

Exit status: 0 when a line was selected, 1 when none was, 2 when a file could not be searched (and for usage errors); 3 when no task matches, 4 when the master cannot be reached.`,
  examples: [
    'mesos grep -c Exception taskmanager',
    'mesos grep -n -E "OutOfMemory|Killed" "taskmanager-*"',
    'mesos grep -l -F "java.lang.NullPointerException" flink stdout',
    'mesos grep -i --ignore-case "checkpoint .* failed" jobmanager',
    'mesos grep -C 3 -n -w Killed taskmanager stderr',
    'mesos grep -o -E -e "took [0-9]+ ms" -e "retry [0-9]+" jobmanager',
  ],
  args: {
    pattern: {
      description: 'what to look for (basic regex; -E extended, -F fixed string); with -e, the TASK',
      required: true,
      label: 'PATTERN',
      givenByFlag: 'regexp',
    },
    // not required: with -e the words move one place left (PATTERN is the task, TASK the first file)
    task: { ...taskArg, required: false },
    file: { description: 'files inside the sandbox (default stdout and stderr)', variadic: true, completes: 'sandbox-path', label: 'FILE' },
  },
  flags: {
    ...inactiveFlag,
    regexp: { kind: 'list', char: 'e', description: 'a pattern (repeatable; a line matching any is selected); PATTERN is then not given', helpValue: '<pattern>' },
    quiet: { kind: 'boolean', char: 'q', description: 'no TASK_ID:FILE: prefixes (grep -h)' },
    'no-filename': { kind: 'boolean', description: 'the same as -q' },
    'with-filename': { kind: 'boolean', char: 'H', description: 'TASK_ID:FILE: prefixes even for a single source' },
    extended: { kind: 'boolean', char: 'E', description: 'PATTERN is an extended regular expression' },
    fixed: { kind: 'boolean', char: 'F', description: 'PATTERN is a fixed string' },
    'ignore-case': { kind: 'boolean', description: 'ignore case (ASCII and other UTF-8 letters)' },
    'word-regexp': { kind: 'boolean', char: 'w', description: 'match whole words only' },
    'line-regexp': { kind: 'boolean', char: 'x', description: 'match whole lines only' },
    invert: { kind: 'boolean', char: 'v', description: 'select the lines that do not match' },
    count: { kind: 'boolean', char: 'c', description: 'print a count of selected lines per source' },
    'files-with-matches': { kind: 'boolean', char: 'l', description: 'print only the sources with a selected line' },
    'only-matching': { kind: 'boolean', char: 'o', description: 'print only the matched parts, one per line' },
    'max-count': { kind: 'integer', char: 'm', description: 'stop reading a source after NUM selected lines', min: 0, helpValue: '<num>' },
    'line-number': { kind: 'boolean', char: 'n', description: 'prefix each line with its line number' },
    text: { kind: 'boolean', char: 'a', description: 'search and print a binary file (one with NUL bytes) as text' },
    'no-messages': { kind: 'boolean', char: 's', description: 'no messages about files that could not be searched (the exit status still says so)' },
    'after-context': { kind: 'integer', char: 'A', description: 'print NUM lines after each selected line', min: 0, helpValue: '<num>' },
    'before-context': { kind: 'integer', char: 'B', description: 'print NUM lines before each selected line', min: 0, helpValue: '<num>' },
    context: { kind: 'integer', char: 'C', description: 'print NUM lines before and after each selected line', min: 0, helpValue: '<num>' },
  },
  async run({ deps, args, flags }) {
    const [{ compilePattern }, { argBytes }, { grepSandboxes }, { safe }, { MesosError, SilentExit, usageError }] = await Promise.all([
      import('../../core/sandbox/grep-pattern.js'),
      import('../argv-bytes.js'),
      import('../../core/sandbox/grep.js'),
      import('../../core/output/terminal.js'),
      import('../../core/errors.js'),
    ])
    const byE = flags.regexp.length > 0
    const words: string[] = [...(byE ? [args.pattern] : []), ...(args.task === undefined ? [] : [args.task]), ...args.file]
    const [task, ...given] = words
    if (task === undefined) throw usageError('missing argument TASK')
    if (flags.extended && flags.fixed) throw usageError('-E and -F conflict (an extended regular expression or a fixed string?)')
    const matcher = compilePattern({
      // a pattern that is not UTF-8 is looked for as the bytes that were typed
      pattern: argBytes(byE ? flags.regexp : [args.pattern]),
      fixed: flags.fixed,
      extended: flags.extended,
      ignoreCase: flags['ignore-case'],
      word: flags['word-regexp'],
      line: flags['line-regexp'],
    })
    const files = given.length > 0 ? given : ['stdout', 'stderr']
    const context = flags.context ?? 0
    const run = await grepSandboxes(deps, {
      filter: task,
      inactive: flags.inactive,
      files,
      matcher,
      invert: flags.invert,
      output: flags['files-with-matches'] ? 'names' : flags.count ? 'count' : 'lines',
      lineNumbers: flags['line-number'],
      onlyMatching: flags['only-matching'],
      text: flags.text,
      ...(flags['max-count'] !== undefined ? { maxCount: flags['max-count'] } : {}),
      before: flags['before-context'] ?? context,
      after: flags['after-context'] ?? context,
      separators: flags.context !== undefined || flags['before-context'] !== undefined || flags['after-context'] !== undefined,
    })
    const prefixed = (run.pairs > 1 || flags['with-filename']) && !flags.quiet && !flags['no-filename']
    const labels = new Map<string, [Buffer, Buffer]>()
    const label = (source: string) => {
      let l = labels.get(source)
      if (!l) labels.set(source, (l = [Buffer.from(`${safe(source)}:`), Buffer.from(`${safe(source)}-`)]))
      return l
    }
    const separator = Buffer.from('--\n')
    let printed = false
    for await (const e of run.events) {
      if ('named' in e) await deps.io.out(`${safe(e.source)}\n`)
      else if ('binary' in e) deps.io.note(`mesos: ${safe(e.source)}: binary file matches`)
      else if ('count' in e) await deps.io.out(`${prefixed ? label(e.source)[0].toString() : ''}${e.count}\n`)
      else {
        const parts: Buffer[] = []
        for (const line of e.lines) {
          if (line === null) {
            // grep separates groups, also across files, but never before the first
            if (printed) parts.push(separator)
            continue
          }
          printed = true
          if (prefixed) parts.push(label(e.source)[line.context ? 1 : 0])
          if (line.number !== undefined) parts.push(Buffer.from(`${line.number}${line.context ? '-' : ':'}`))
          parts.push(line.text)
        }
        if (parts.length > 0) await deps.io.out(parts.length === 1 ? parts[0]! : Buffer.concat(parts))
      }
    }
    const { matched, problems } = run.summary()
    if (!flags['no-messages']) for (const p of problems) deps.io.warn(p)
    if (problems.length > 0) {
      if (flags['no-messages']) throw new SilentExit(2)
      throw new MesosError('failure', `${problems.length} of ${run.pairs} file(s) could not be searched`, { exitCode: 2 })
    }
    if (!matched) throw new SilentExit(1)
  },
})
