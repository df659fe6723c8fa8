import { inactiveFlag, taskArg } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'grep',
  readsCluster: true,
  summary: "Search files in the sandboxes of every matching task, as grep does.",
  description: `FILE defaults to stdout and stderr. Every (task, file) is streamed from /files/download and searched as it arrives, max_workers at once, without ever holding a whole file; output comes in task ID, then file order. With several sources each line is prefixed TASK_ID:FILE: (-q drops it, as grep -h does); -n adds the line number, -c prints a count per source, -l only the names of sources with a match.

PATTERN is a POSIX basic regular expression (-E: extended, -F: a fixed string); lines are matched as bytes (like LC_ALL=C grep), so a line that is not valid UTF-8 is matched and printed exactly as it is. --ignore-case folds ASCII letters. Note that -i means --inactive here, as in every mesos command.

Exit status: 0 when a line was selected, 1 when none was, 2 when a file could not be searched (and for usage errors); 3 when no task matches, 4 when the master cannot be reached.`,
  examples: [
    'mesos grep -c Exception taskmanager',
    'mesos grep -n -E "OutOfMemory|Killed" "taskmanager-*"',
    'mesos grep -l -F "java.lang.NullPointerException" flink stdout',
    'mesos grep -i --ignore-case "checkpoint .* failed" jobmanager',
  ],
  args: {
    pattern: { description: 'what to look for (basic regex; -E extended, -F fixed string)', required: true, label: 'PATTERN' },
    task: taskArg,
    file: { description: 'files inside the sandbox (default stdout and stderr)', variadic: true, completes: 'sandbox-path', label: 'FILE' },
  },
  flags: {
    ...inactiveFlag,
    quiet: { kind: 'boolean', char: 'q', description: 'no TASK_ID:FILE: prefixes (grep -h)' },
    extended: { kind: 'boolean', char: 'E', description: 'PATTERN is an extended regular expression' },
    fixed: { kind: 'boolean', char: 'F', description: 'PATTERN is a fixed string' },
    'ignore-case': { kind: 'boolean', description: 'ignore the case of ASCII letters' },
    invert: { kind: 'boolean', char: 'v', description: 'select the lines that do not match' },
    count: { kind: 'boolean', char: 'c', description: 'print a count of selected lines per source' },
    'files-with-matches': { kind: 'boolean', char: 'l', description: 'print only the sources with a selected line' },
    'line-number': { kind: 'boolean', char: 'n', description: 'prefix each line with its line number' },
  },
  async run({ deps, args, flags }) {
    const [{ compilePattern }, { grepSandboxes }, { safe }, { MesosError, SilentExit }] = await Promise.all([
      import('../../core/sandbox/grep-pattern.js'),
      import('../../core/sandbox/grep.js'),
      import('../../core/output/terminal.js'),
      import('../../core/errors.js'),
    ])
    const matcher = compilePattern({
      pattern: args.pattern,
      fixed: flags.fixed,
      extended: flags.extended,
      ignoreCase: flags['ignore-case'],
    })
    const files = args.file.length > 0 ? args.file : ['stdout', 'stderr']
    const run = await grepSandboxes(deps, {
      filter: args.task,
      inactive: flags.inactive,
      files,
      matcher,
      invert: flags.invert,
      output: flags['files-with-matches'] ? 'names' : flags.count ? 'count' : 'lines',
      lineNumbers: flags['line-number'],
    })
    const prefixed = run.pairs > 1 && !flags.quiet
    const labels = new Map<string, Buffer>()
    const label = (source: string) => {
      let l = labels.get(source)
      if (!l) labels.set(source, (l = Buffer.from(`${safe(source)}:`)))
      return l
    }
    for await (const e of run.events) {
      if ('named' in e) await deps.io.out(`${safe(e.source)}\n`)
      else if ('count' in e) await deps.io.out(`${prefixed ? label(e.source).toString() : ''}${e.count}\n`)
      else {
        const parts: Buffer[] = []
        for (const [i, line] of e.lines.entries()) {
          if (prefixed) parts.push(label(e.source))
          if (e.numbers) parts.push(Buffer.from(`${e.numbers[i]}:`))
          parts.push(line)
        }
        await deps.io.out(parts.length === 1 ? parts[0]! : Buffer.concat(parts))
      }
    }
    const { matched, problems } = run.summary()
    for (const p of problems) deps.io.warn(p)
    if (problems.length > 0) {
      throw new MesosError('failure', `${problems.length} of ${run.pairs} file(s) could not be searched`, { exitCode: 2 })
    }
    if (!matched) throw new SilentExit(1)
  },
})
