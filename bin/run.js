#!/usr/bin/env node
// The `mesos` binary: one bundled script (dist/bundle/main.cjs, built from src/cli/main.ts, loaded
// with V8's code cache by src/cli/bundle-loader.ts) that parses and runs every command without
// loading oclif; oclif renders help only. Start-up time is a feature: it runs on every TAB press
// and in shell loops, so `--version` alone skips even the bundle.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const { versionLine } = await import('../dist/cli/version.js')
  process.stdout.write(versionLine())
} else {
  const { loadBundle } = await import('../dist/cli/bundle-loader.js')
  const bundle = loadBundle(new URL('../dist/bundle/main.cjs', import.meta.url))
  process.exitCode = await bundle.runCli(process.argv.slice(2), { process: true })
  bundle.saveCodeCache()
}
