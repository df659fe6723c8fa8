import def from '../cli/commands/frameworks.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
