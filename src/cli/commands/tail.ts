import { filesArg, inactiveFlag, linesFlag, quietFlag, sleepFlag, taskArg } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'tail',
  readsCluster: true,
  streams: true,
  summary: "Print the last lines of files in a task's sandbox; -f follows them.",
  description: `FILE defaults to stdout. Reads backwards from the end in 64 KiB windows: a typical tail costs one size request and one read, whatever the file size.

With -f, keeps polling every --sleep-interval seconds: prints appended lines, follows tasks that start later from their first byte, restarts a file that shrank (with a notice), and rides out agents and masters that stop answering. ==> TASK_ID:FILE <== headers appear when the source changes (unless -q). Ctrl-C ends it.

--prefix prints every line after its source instead (\`taskmanager-00003 stdout | \`), coloured per source on a terminal; lines from different sources never split or merge: a line still being written waits for its end, and is printed with a trailing … only after two quiet polls (its rest then starts with …). --grep REGEX (POSIX extended syntax, matched on bytes) keeps only the lines that match, with or without -f; -n counts lines before the filter, as tail -n N | grep does.`,
  examples: [
    'mesos tail taskmanager-00001',
    'mesos tail -f taskmanager',
    'mesos tail -n 100 -f flink stdout stderr',
    'mesos tail -q -n 0 -f "web.*" | grep --line-buffered ERROR',
    'mesos tail -f --prefix taskmanager stdout stderr',
    'mesos tail -f --prefix --grep "Exception|ERROR" taskmanager',
  ],
  args: { task: taskArg, file: filesArg },
  flags: {
    ...inactiveFlag,
    ...quietFlag,
    ...linesFlag,
    follow: { kind: 'boolean', char: 'f', description: 'keep printing appended lines, and follow new matching tasks' },
    ...sleepFlag('seconds between polls with -f', 1),
    prefix: { kind: 'boolean', description: 'prefix each line with its source (TASK_ID FILE | ) instead of ==> <== headers' },
    grep: { kind: 'string', description: 'print only the lines matching this extended regular expression', helpValue: '<regex>', emptyOk: true },
  },
  async run({ deps, args, flags, render }) {
    const files = args.file.length > 0 ? args.file : ['stdout']
    const query = { filter: args.task, inactive: flags.inactive, files, lines: flags.lines }
    const grep =
      flags.grep === undefined
        ? undefined
        : (await import('../../core/sandbox/grep-pattern.js')).compilePattern({
            pattern: (await import('../argv-bytes.js')).argBytes([flags.grep])[0]!,
            fixed: false,
            extended: true,
            ignoreCase: false,
          })
    const show = async (chunks: AsyncIterable<import('../../core/sandbox/chunks.js').SourceChunk>, headers: boolean) => {
      if (flags.prefix) {
        const { renderPrefixed } = await import('../render/prefix.js')
        const color = deps.io.outStyle.cyan('x') !== 'x'
        return renderPrefixed(deps.io, chunks, { files, color, follow: flags.follow, grep })
      }
      if (!grep) return render.chunks(chunks, { headers })
      const { grepChunks } = await import('../render/prefix.js')
      return render.chunks(grepChunks(chunks, grep), { headers })
    }
    if (flags.follow) {
      const { followFiles } = await import('../../core/sandbox/follow.js')
      return show(followFiles(deps, { ...query, intervalSec: flags['sleep-interval'] }), !flags.quiet)
    }
    const { linesOf } = await import('../../core/sandbox/service.js')
    const plan = await linesOf(deps, { ...query, from: 'tail' })
    await show(plan.chunks, plan.pairs > 1 && !flags.quiet)
  },
})
