import def from '../cli/commands/state.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
