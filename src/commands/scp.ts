import def from '../cli/commands/scp.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
