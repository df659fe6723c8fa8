import def from '../cli/commands/resolve.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
