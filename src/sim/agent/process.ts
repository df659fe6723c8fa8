/**
 * The process behind a container that really runs: its own session and process group, its
 * output, its stdin, and destruction of the whole group. As in Mesos, a container ends with its
 * init process, and destroying it kills every process left in it (`MesosContainerizerProcess::
 * destroy`; the launcher kills the container's processes, not only the first one).
 */
import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import { spawnPty } from './pty.js'

export interface ContainerProcess {
  onOutput(cb: (kind: 'STDOUT' | 'STDERR', bytes: Buffer) => void): void
  write(bytes: Buffer): void
  closeInput(): void
  /** false when there is no terminal to size */
  resize(rows: number, columns: number): boolean
  /** SIGKILL to every process of the container */
  destroy(): void
  /** the wait(2) status of the init process, once all its output has been read */
  exited: Promise<number>
  /** the container's process group (= session) id */
  pgid: Promise<number | undefined>
}

export interface Command {
  shell: boolean
  value: string
  /** argv when shell is false (argv[0] included) */
  arguments: string[]
}

function waitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  return signal ? (constants.signals[signal] ?? 9) : (code ?? 0) << 8
}

export function launch(cmd: Command, opts: { cwd: string; env: NodeJS.ProcessEnv; tty: boolean }): ContainerProcess {
  const path = cmd.shell ? '/bin/sh' : cmd.value
  const argv = cmd.shell ? ['sh', '-c', cmd.value] : cmd.arguments.length ? cmd.arguments : [cmd.value]
  return opts.tty ? ptyProcess(path, argv, opts) : pipeProcess(path, argv, opts)
}

function ptyProcess(path: string, argv: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): ContainerProcess {
  const p = spawnPty(path, argv, opts)
  return {
    // with a TTY everything comes out of the pty master as STDOUT (`IOSwitchboardServerProcess::run`)
    onOutput: (cb) => p.output.on('data', (d: Buffer) => cb('STDOUT', d)),
    write: (b) => {
      if (!p.input.writableEnded) p.input.write(b)
    },
    // with a TTY the client sends EOT; an empty DATA record does not close anything
    closeInput: () => {},
    resize: (rows, columns) => {
      p.resize(rows, columns)
      return true
    },
    destroy: () => p.kill(),
    exited: p.exited,
    pgid: p.pid,
  }
}

function pipeProcess(path: string, argv: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): ContainerProcess {
  const child = spawn(path, argv.slice(1), {
    cwd: opts.cwd,
    env: opts.env,
    argv0: argv[0],
    stdio: 'pipe',
    detached: true,
  })
  const listeners: Array<(kind: 'STDOUT' | 'STDERR', bytes: Buffer) => void> = []
  const emit = (kind: 'STDOUT' | 'STDERR', bytes: Buffer) => {
    for (const l of listeners) l(kind, bytes)
  }
  child.stdout.on('data', (d: Buffer) => emit('STDOUT', d))
  child.stderr.on('data', (d: Buffer) => emit('STDERR', d))
  child.stdin.on('error', () => {})
  const killGroup = () => {
    if (child.pid === undefined) return
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {
      // the group is already empty
    }
  }
  // the init process is gone: the container is destroyed, whatever it left behind included
  child.on('exit', killGroup)
  const exited = new Promise<number>((resolve) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      // `mesos-containerizer launch` after a failed execvp (launch.cpp)
      emit('STDERR', Buffer.from(`Failed to execute '${path}': ${errnoText(e)}\n`))
      resolve(1 << 8)
    })
    child.on('close', (code, signal) => resolve(waitStatus(code, signal)))
  })
  return {
    onOutput: (cb) => listeners.push(cb),
    write: (b) => {
      if (!child.stdin.writableEnded) child.stdin.write(b)
    },
    closeInput: () => child.stdin.end(),
    resize: () => false,
    destroy: killGroup,
    exited,
    pgid: Promise.resolve(child.pid),
  }
}

function errnoText(e: NodeJS.ErrnoException): string {
  if (e.code === 'ENOENT') return 'No such file or directory'
  if (e.code === 'EACCES') return 'Permission denied'
  return e.message
}
