/**
 * The optional diagnostic log file (`log_file`, `log_level`): timestamped lines appended with mode
 * 0600. It never receives credentials: it gets the same lines as --debug.
 */
import { appendFileSync } from 'node:fs'
import { LOG_LEVELS } from '../config/keys.js'

export type LogLevel = (typeof LOG_LEVELS)[number]

export type Logger = (level: LogLevel, line: string) => void

export function createFileLogger(file: string | undefined, threshold: LogLevel): Logger {
  if (!file) return () => {}
  const min = LOG_LEVELS.indexOf(threshold)
  let broken = false
  return (level, line) => {
    if (broken || LOG_LEVELS.indexOf(level) < min) return
    try {
      appendFileSync(file, `${new Date().toISOString()} ${level.toUpperCase()} ${line}\n`, { mode: 0o600 })
    } catch {
      broken = true // a log that cannot be written must not break the command
    }
  }
}
