#!/usr/bin/env node
// The `mesos` binary: oclif dispatches to dist/commands; errors that escape a command (an unknown
// command, a broken install) are printed the same way commands print theirs.
// `mesos __complete ...` runs on every TAB: it is answered here, without loading oclif.
if (process.argv[2] === '__complete') {
  const { runComplete } = await import('../dist/core/completion/main.js')
  await runComplete(process.argv.slice(3))
}

const { Config, flush, run } = await import('@oclif/core')
try {
  // Root help lists `mesos-*` plugins (src/core/plugins/help.ts).
  const config = await Config.load(import.meta.url)
  config.pjson.oclif.helpClass ??= './dist/core/plugins/help.js'
  await run(process.argv.slice(2), config)
  await flush()
} catch (err) {
  const { exitCodeFor, hintsOf, messageOf } = await import('../dist/core/errors.js')
  process.stderr.write(`mesos: ${messageOf(err)}\n`)
  for (const h of hintsOf(err)) process.stderr.write(`hint: ${h}\n`)
  if (process.env.DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`)
  process.exitCode = exitCodeFor(err)
}
