// The book's programs: `mesos-cat ARGS` is `mesos cat ARGS` (each bin/mesos-<command>.js names its
// command). Same runner as bin/run.js, so flags, exit codes and output are identical.
export async function runAs(words) {
  const { runCli } = await import('../dist/bundle/main.js')
  process.exitCode = await runCli([...words, ...process.argv.slice(2)], { process: true })
}
