#!/usr/bin/env node
// The `mesos` binary: one bundled module (dist/cli/bundle/main.js, built from src/cli/main.ts)
// that parses and runs every command without loading oclif; oclif renders help only. Start-up
// time is a feature: it runs on every TAB press and in shell loops.
const { runCli } = await import('../dist/bundle/main.js')
process.exitCode = await runCli(process.argv.slice(2), { process: true })
