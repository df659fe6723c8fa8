import def from '../cli/commands/config.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
