// Runs `mesos sim up` from the sources, independent of dist/ (which a concurrent build may be replacing).
import SimUp from '../../src/commands/sim/up.js'

await SimUp.run(process.argv.slice(2), import.meta.url)
