import def from '../../cli/commands/sim/up.js'
import { oclifCommand } from '../../cli/oclif.js'

export default oclifCommand(def)
