import def from '../cli/commands/head.js'
import { oclifCommand } from '../cli/oclif.js'

export default oclifCommand(def)
