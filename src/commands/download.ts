import def from '../cli/commands/download.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
