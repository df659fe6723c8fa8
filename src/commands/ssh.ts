import def from '../cli/commands/ssh.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
