import def from '../../cli/commands/sim/ctl.js'
import { oclifCommand } from '../../cli/oclif.js'

export default oclifCommand(def)
