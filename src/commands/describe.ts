import def from '../cli/commands/describe.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
