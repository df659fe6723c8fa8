/**
 * A real OpenSSH server on a free loopback port, for the remote-access tests (toolchain.md): its own
 * ed25519 host key and authorized_keys in a temporary directory, public keys only, internal-sftp.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './ports.js'

export interface KeyPair {
  /** Path of the private key; the public key is next to it with `.pub`. */
  path: string
  /** `ssh-ed25519 AAAA... comment` */
  publicLine: string
}

/** A new ed25519 key pair (ssh-keygen), optionally encrypted. */
export function makeKey(path: string, passphrase = ''): KeyPair {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'mesos-test', '-f', path])
  return { path, publicLine: readFileSync(`${path}.pub`, 'utf8').trim() }
}

export interface Sshd {
  port: number
  dir: string
  /** The host key as a known_hosts entry would carry it: `ssh-ed25519 AAAA...` */
  hostKey: string
  /** Replaces authorized_keys (read by sshd at every login). */
  authorize(publicLines: string[]): void
  /** What sshd logged so far (for failing tests). */
  log(): string
  stop(): Promise<void>
}

/**
 * `config` lines come first (sshd keeps the first value of most keywords); `sftp` replaces the sftp
 * subsystem (`internal-sftp -R` for a read-only one).
 */
export async function startSshd(opts: { authorized?: string[]; config?: string[]; sftp?: string } = {}): Promise<Sshd> {
  mkdirSync('/run/sshd', { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'mesos-sshd-'))
  const port = await freePort()
  makeKey(join(dir, 'host_key'))
  const hostKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ')
  const authorize = (lines: string[]) => writeFileSync(join(dir, 'authorized_keys'), lines.map((l) => `${l}\n`).join(''))
  authorize(opts.authorized ?? [])
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      ...(opts.config ?? []),
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'AllowTcpForwarding yes',
      `Subsystem sftp ${opts.sftp ?? 'internal-sftp'}`,
      'LogLevel VERBOSE',
    ].join('\n') + '\n',
  )
  let log = ''
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  child.stderr!.on('data', (c: Buffer) => {
    log += c.toString()
  })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start:\n${log}`)), 10_000)
    const check = () => {
      if (log.includes('Server listening')) {
        clearTimeout(timer)
        child.stderr!.off('data', check)
        resolve()
      }
    }
    child.stderr!.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`sshd exited with ${code}:\n${log}`))
    })
  })
  return {
    port,
    dir,
    hostKey,
    authorize,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
