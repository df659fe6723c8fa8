// Runs `mesos sim up|ctl ...` from the sources, independent of dist/ (which a concurrent build may be replacing).
import { runCli } from '../../src/cli/main.js'

const [which, ...argv] = process.argv.slice(2)
process.exitCode = await runCli(['sim', which === 'ctl' ? 'ctl' : 'up', ...argv], { process: true })
