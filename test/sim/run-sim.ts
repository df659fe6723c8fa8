// Runs `mesos sim up|ctl ...` from the sources, independent of dist/ (which a concurrent build may be replacing).
import SimCtl from '../../src/commands/sim/ctl.js'
import SimUp from '../../src/commands/sim/up.js'

const [which, ...argv] = process.argv.slice(2)
await (which === 'ctl' ? SimCtl : SimUp).run(argv, import.meta.url)
