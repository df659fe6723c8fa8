import def from '../cli/commands/ps.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
