import def from '../cli/commands/completion.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
