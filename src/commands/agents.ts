import def from '../cli/commands/agents.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
