import def from '../cli/commands/top.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
