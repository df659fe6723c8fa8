#!/usr/bin/env -S node --import tsx --no-warnings=ExperimentalWarning
// Development entry point: runs the TypeScript sources directly (no build step).
const { runCli } = await import('../src/cli/main.ts')
process.exitCode = await runCli(process.argv.slice(2), { process: true })
