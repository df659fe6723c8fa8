// The book's programs: `mesos-cat ARGS` is `mesos cat ARGS` (each bin/mesos-<command>.js names its
// command). Same runner as bin/run.js, so flags, exit codes and output are identical.
export async function runAs(words) {
  const { loadBundle } = await import('../dist/cli/bundle-loader.js')
  const bundle = loadBundle(new URL('../dist/bundle/main.cjs', import.meta.url))
  process.exitCode = await bundle.runCli([...words, ...process.argv.slice(2)], { process: true })
  bundle.saveCodeCache()
}
