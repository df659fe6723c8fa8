import def from '../cli/commands/cat.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
