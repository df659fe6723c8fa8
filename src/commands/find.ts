import def from '../cli/commands/find.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
