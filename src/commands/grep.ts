import def from '../cli/commands/grep.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
