import def from '../cli/commands/events.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
