import def from '../cli/commands/ls.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
