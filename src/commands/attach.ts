import def from '../cli/commands/attach.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
