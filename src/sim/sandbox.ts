/**
 * Sandboxes on disk with Mesos' layout, and the processes "running" in them: every running task
 * appends timestamped lines to its stdout, stderr and logs, so HTTP and SSH see the same files.
 */
import { appendFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Executor, Task } from './model.js'
import { isTerminal } from './model.js'
import { linesFor } from './scenarios/logs.js'
import { makeDirsSync } from '../core/dirs.js'

function symlink(target: string, path: string): void {
  try {
    symlinkSync(target, path)
  } catch {
    // already there
  }
}

/** Where a task's file lives: task groups write under `containers/<task container>`. */
export function taskFile(task: Task, file: string): string {
  if (task.executor.type === 'DEFAULT')
    return join(task.executor.directory, 'containers', task.containerId, file)
  return join(task.executor.directory, file)
}

export function materialize(ex: Executor, version: string): void {
  if (ex.materialized) return
  ex.materialized = true
  makeDirsSync(ex.directory)
  symlink(ex.directory, join(dirname(ex.directory), 'latest'))
  const t0 = ex.launchedAt
  writeFileSync(join(ex.directory, 'stdout'), ex.type === 'DEFAULT' ? '' : '')
  writeFileSync(
    join(ex.directory, 'stderr'),
    [
      glog(t0, 'exec.cpp:162', `Version: ${version}`),
      glog(t0 + 0.01, 'exec.cpp:236', `Executor registered on agent ${ex.agentId}`),
      '',
    ].join('\n'),
  )
  for (const t of [...ex.tasks, ...ex.completedTasks]) materializeTask(t)
}

export function materializeTask(task: Task): void {
  const ex = task.executor
  if (ex.type === 'DEFAULT') {
    const dir = join(ex.directory, 'containers', task.containerId)
    makeDirsSync(dir)
    makeDirsSync(join(ex.directory, 'tasks'))
    symlink(dir, join(ex.directory, 'tasks', task.id))
  }
  if (task.tty) {
    // its real process writes its own output
    for (const file of task.logs) appendFileSync(taskFile(task, file), '')
    return
  }
  const start = task.statuses[0]?.timestamp ?? Date.now() / 1000
  const end = isTerminal(task.state) ? (task.statuses.at(-1)?.timestamp ?? start) : Date.now() / 1000
  for (const file of task.logs) {
    const path = taskFile(task, file)
    makeDirsSync(dirname(path))
    const lines: string[] = []
    if (file === 'stdout' && ex.type === 'COMMAND') lines.push(`Starting task ${task.id}`)
    const n = Math.min(40, Math.max(3, Math.floor((end - start) / 5)))
    for (let i = 0; i < n; i++) lines.push(...linesFor(task, file, start + ((end - start) * i) / n, i))
    appendFileSync(path, lines.length ? lines.join('\n') + '\n' : '')
  }
}

export function glog(t: number, where: string, msg: string): string {
  const d = new Date(t * 1000)
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  const us = p(Math.floor((t * 1e6) % 1e6), 6)
  return `I${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${us} ${String(process.pid).padStart(5)} ${where}] ${msg}`
}

/** Appends one round of lines to every materialized running task (at most `budget` of them). */
export class LogWriter {
  private tick = 0
  private cursor = 0

  constructor(private readonly running: () => Task[]) {}

  step(budget = 400): void {
    this.tick++
    const tasks = this.running().filter((t) => t.executor.materialized && t.state === 'TASK_RUNNING' && !t.tty)
    if (tasks.length === 0) return
    const n = Math.min(budget, tasks.length)
    const now = Date.now() / 1000
    for (let i = 0; i < n; i++) {
      const t = tasks[(this.cursor + i) % tasks.length] as Task
      for (const file of t.logs) {
        const lines = linesFor(t, file, now, this.tick)
        if (lines.length === 0) continue
        try {
          appendFileSync(taskFile(t, file), lines.join('\n') + '\n')
        } catch {
          // the sandbox was removed under us
        }
      }
    }
    this.cursor = (this.cursor + n) % tasks.length
  }
}
