#!/usr/bin/env node
// The `mesos` binary: one bundled module (dist/bundle/main.js, built from src/cli/main.ts) that
// parses and runs every command without loading oclif; oclif renders help only. Start-up time is a
// feature: it runs on every TAB press and in shell loops, so `--version` alone skips even the bundle.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const { versionLine } = await import('../dist/cli/version.js')
  process.stdout.write(versionLine())
} else {
  const { runCli } = await import('../dist/bundle/main.js')
  process.exitCode = await runCli(process.argv.slice(2), { process: true })
}
