/**
 * A pseudo terminal for containers launched with `tty_info`, the way the I/O switchboard sets one
 * up (`IOSwitchboard::_prepare`, `switchboard.cpp`: `posix_openpt`, the slave end as the
 * container's stdin/stdout/stderr, stderr not relayed apart). Node has no pty of its own, so a
 * small python3 helper (standard library only, no `termios` needed: it runs on `python3-minimal`)
 * opens the pty, forks the command into its own session with the pty as controlling terminal,
 * and relays bytes:
 *
 *   fd 0  bytes for the terminal (what `ATTACH_CONTAINER_INPUT` STDIN data writes to the master)
 *   fd 1  everything the terminal prints
 *   fd 3  control lines `<rows> <columns>\n`: TIOCSWINSZ on the master (`os::setWindowSize`)
 *   fd 4  `pid <n>\n` once forked (also its process group), `status <wait status>\n` at the end
 *
 * The pty starts at 0x0: in Mesos only a TTY_INFO control record on the input connection sizes it.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import type { Readable, Writable } from 'node:stream'

const HELPER = String.raw`
import os, sys, fcntl, select, signal
try:
    import termios
    TIOCSWINSZ, TIOCSCTTY = termios.TIOCSWINSZ, termios.TIOCSCTTY
except ImportError:
    TIOCSWINSZ, TIOCSCTTY = 0x5414, 0x540E

def winsize(fd, rows, cols):
    b = sys.byteorder
    fcntl.ioctl(fd, TIOCSWINSZ, rows.to_bytes(2, b) + cols.to_bytes(2, b) + bytes(4))

def write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]

cwd, path, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
master, slave = os.openpty()
wake_r, wake_w = os.pipe()
os.set_blocking(wake_w, False)
signal.set_wakeup_fd(wake_w)
signal.signal(signal.SIGCHLD, lambda *a: None)
pid = os.fork()
if pid == 0:
    try:
        signal.set_wakeup_fd(-1)
        for s in (signal.SIGCHLD, signal.SIGPIPE, signal.SIGINT, signal.SIGXFSZ):
            signal.signal(s, signal.SIG_DFL)
        os.setsid()
        fcntl.ioctl(slave, TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.closerange(3, 65536)
        os.chdir(cwd)
        os.execvp(path, argv)
    except BaseException as e:
        try:
            os.write(2, ("Failed to execute '%s': %s\n" % (path, os.strerror(e.errno) if isinstance(e, OSError) and e.errno else e)).encode())
        finally:
            os._exit(1)
os.close(slave)
write_all(4, b"pid %d\n" % pid)
watch = [master, 0, 3, wake_r]
ctl = b""
status = None
while status is None:
    ready = select.select(watch, [], [])[0]
    if wake_r in ready:
        os.read(wake_r, 512)
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
    if master in ready and status is None:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        if data:
            write_all(1, data)
        else:
            status = os.waitpid(pid, 0)[1]
    # a size written before some input applies before it: the control pipe first
    if 3 in ready and status is None:
        data = os.read(3, 4096)
        if not data:
            watch.remove(3)
        ctl += data
        while b"\n" in ctl:
            line, ctl = ctl.split(b"\n", 1)
            rows, cols = (int(x) for x in line.split())
            winsize(master, rows, cols)
    if 0 in ready and status is None:
        data = os.read(0, 65536)
        if data:
            write_all(master, data)
        else:
            watch.remove(0)
os.set_blocking(master, False)
while True:
    try:
        data = os.read(master, 65536)
    except OSError:
        break
    if not data:
        break
    write_all(1, data)
try:
    os.killpg(pid, signal.SIGKILL)
except OSError:
    pass
write_all(4, b"status %d\n" % status)
`

export interface PtyProcess {
  /** everything the terminal prints (stdout and stderr of the command, merged as on a tty) */
  output: Readable
  /** bytes typed at the terminal */
  input: Writable
  /** the command's process id, which is also its process group and session (setsid) */
  pid: Promise<number | undefined>
  /** its wait(2) status */
  exited: Promise<number>
  resize(rows: number, columns: number): void
  /** SIGKILL to the command's process group and to the helper */
  kill(): void
  helper: ChildProcess
}

export function spawnPty(
  path: string,
  argv: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
): PtyProcess {
  const helper = spawn('python3', ['-I', '-S', '-c', HELPER, opts.cwd, path, ...argv], {
    env: opts.env,
    stdio: ['pipe', 'pipe', 'inherit', 'pipe', 'pipe'],
    detached: true,
  })
  const control = helper.stdio[3] as Writable
  const info = helper.stdio[4] as Readable
  control.on('error', () => {})
  helper.stdin?.on('error', () => {})
  let pidResolve: (n: number | undefined) => void = () => {}
  const pid = new Promise<number | undefined>((r) => {
    pidResolve = r
  })
  let status: number | undefined
  let text = ''
  info.on('data', (d: Buffer) => {
    text += d.toString('ascii')
    for (const line of text.split('\n').slice(0, -1)) {
      const [key, value] = line.split(' ')
      if (key === 'pid') pidResolve(Number(value))
      if (key === 'status') status = Number(value)
    }
    text = text.slice(text.lastIndexOf('\n') + 1)
  })
  const exited = new Promise<number>((resolve) => {
    helper.on('error', () => {
      pidResolve(undefined)
      resolve(127 << 8)
    })
    // 'close': the helper has exited and its output is fully read
    helper.on('close', (code, signal) => {
      pidResolve(undefined)
      resolve(status ?? (signal ? 9 : (code ?? 1) << 8))
    })
  })
  let childPid: number | undefined
  let killed = false
  const killGroups = () => {
    for (const group of [childPid, helper.pid])
      if (group)
        try {
          process.kill(-group, 'SIGKILL')
        } catch {
          // already gone
        }
  }
  void pid.then((p) => {
    childPid = p
    if (killed) killGroups()
  })
  return {
    output: helper.stdout!,
    input: helper.stdin!,
    pid,
    exited,
    helper,
    resize(rows, columns) {
      if (!control.writableEnded) control.write(`${rows} ${columns}\n`)
    },
    kill() {
      killed = true
      killGroups()
    },
  }
}
