import { inactiveFlag, taskArg } from '../grammar/flags.js'
import { defineCommand } from '../grammar/types.js'

export default defineCommand({
  id: 'download',
  readsCluster: true,
  summary: "Copy files or whole directories of a task's sandbox to local disk.",
  description: `PATH defaults to the whole sandbox. Files land in DIR (default ./<task-id>/) under their sandbox-relative paths; with several matching tasks, each task gets its own directory <task-id> (inside DIR when -o is given). Every file is streamed byte for byte from /files/download, max_workers at a time, with its mode bits and mtime kept, and written under a temporary name that is renamed into place only once complete: an interrupted or failed copy never leaves a half-written file under its final name.

Resuming: run the same command again. A local file with the same size and mtime (whole seconds) as the sandbox entry is taken as already copied and skipped; a file that differs is not overwritten unless --force (a log that grew since counts as different). Failed files are listed on stderr and the exit status is 1.`,
  examples: [
    'mesos download taskmanager-00001',
    'mesos download jobmanager flink-conf.yaml log -o ./jm',
    'mesos download -i "taskmanager-*" stdout stderr -o ./postmortem',
    'mesos download --force taskmanager-00001 stdout',
  ],
  args: {
    task: taskArg,
    path: { description: 'files or directories inside the sandbox (default: all of it)', variadic: true, completes: 'sandbox-path', label: 'PATH' },
  },
  flags: {
    ...inactiveFlag,
    quiet: { kind: 'boolean', char: 'q', description: 'no progress bar and no summary' },
    output: { kind: 'string', char: 'o', description: 'local directory to copy into (default ./<task-id>/)', helpValue: '<dir>', completes: 'local-file' },
    force: { kind: 'boolean', description: 'replace local files that differ from the sandbox' },
  },
  async run({ deps, args, flags }) {
    const [{ downloadSandboxes, shownDir }, { downloadBar, noProgress }, { failure }] = await Promise.all([
      import('../../core/sandbox/download.js'),
      import('../render/progress.js'),
      import('../../core/errors.js'),
    ])
    // quiet: no bar, and no spinner either
    if (flags.quiet) deps.io.status?.(undefined)
    const bar = flags.quiet ? noProgress : await downloadBar(deps.io)
    let result
    try {
      result = await downloadSandboxes(
        deps,
        { filter: args.task, inactive: flags.inactive, paths: args.path, outDir: flags.output, force: flags.force },
        bar,
      )
    } finally {
      bar.stop()
    }
    if (!flags.quiet) {
      const where = result.destinations.map((d) => shownDir(deps.cwd, d.dir)).join(', ')
      const mb = (result.bytes / 1e6).toFixed(1)
      deps.io.note(
        `mesos: ${result.copied} file(s) copied (${mb} MB), ${result.upToDate} already up to date, ${result.failed.length} failed; in ${where}`,
      )
    }
    for (const f of result.failed) deps.io.warn(`${f.task}:${f.path}: ${f.reason}`)
    if (result.failed.length > 0) {
      const kept = result.failed.filter((f) => f.kept).length
      const refused = result.failed.filter((f) => f.refused).length
      const retry = result.failed.length - kept - refused
      const hints = [
        ...(kept > 0 ? ['--force replaces local files that differ from the sandbox'] : []),
        ...(refused > 0 ? [`the agent refused ${refused === 1 ? 'one' : refused}: running again will not fetch ${refused === 1 ? 'it' : 'them'}`] : []),
        ...(retry > 0 ? [`run the same command again to retry ${retry < result.failed.length ? 'the others' : 'them'}; what was copied is skipped`] : []),
      ]
      throw failure(`${result.failed.length} file(s) could not be downloaded`, hints)
    }
  },
})
