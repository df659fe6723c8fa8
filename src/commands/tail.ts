import def from '../cli/commands/tail.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
