#!/usr/bin/env node
// The `mesos` binary. Start-up time is a feature (it runs on every TAB press and in shell loops):
// - `mesos __complete ...` is answered without loading oclif (src/core/completion/main.ts);
// - `--version` reads package.json and nothing else;
// - the hot commands (resolve, ls, find, cat, head, tail) with ordinary arguments run without oclif
//   too, from one bundled file (src/cli/fast.ts, bundled into dist/fast.js by scripts/bundle.mjs);
// - everything else (help, other commands, usage errors) goes through oclif, and errors that escape
//   a command (an unknown command, a broken install) are printed the way commands print theirs.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const { readFileSync } = await import('node:fs')
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
  process.exit(0)
}

if (process.argv[2] === '__complete') {
  const { runComplete } = await import('../dist/core/completion/main.js')
  await runComplete(process.argv.slice(3))
}

const { runFast } = await import('../dist/fast.js')
if (!(await runFast(process.argv.slice(2)))) await runOclif()

async function runOclif() {
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
}
