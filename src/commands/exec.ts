import def from '../cli/commands/exec.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
