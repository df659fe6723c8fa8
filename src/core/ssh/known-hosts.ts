/**
 * OpenSSH `known_hosts` files: plain and hashed (`|1|salt|hash`) host names, `[host]:port` for
 * ports other than 22, wildcard and negated patterns, and the `@revoked` marker. What a host key is
 * to us (known, changed, revoked, new) is decided here; what to do about it lives in verify.ts.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { appendFile, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { makeDirs } from '../dirs.js'

export interface KnownHost {
  file: string
  /** 1-based line number, for messages that point at the line to fix. */
  line: number
  marker?: 'revoked' | 'cert-authority'
  patterns: string
  keyType: string
  key: Buffer
}

/** The name a host is recorded under: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

/** The key type inside an SSH public key blob (its first string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown'
  const len = blob.readUInt32BE(0)
  return blob.subarray(4, 4 + len).toString('latin1')
}

/** `SHA256:...` as OpenSSH prints it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}

export function parseKnownHosts(text: string, file: string): KnownHost[] {
  const entries: KnownHost[] = []
  text.split('\n').forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/)
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return
    let marker: KnownHost['marker']
    if (fields[0].startsWith('@')) {
      const m = fields.shift()!
      if (m === '@revoked') marker = 'revoked'
      else if (m === '@cert-authority') marker = 'cert-authority'
      else return
    }
    const [patterns, keyType, b64] = fields
    if (!patterns || !keyType || !b64) return
    const key = Buffer.from(b64, 'base64')
    if (key.length === 0 || keyTypeOf(key) !== keyType) return
    entries.push({ file, line: i + 1, marker, patterns, keyType, key })
  })
  return entries
}

/** OpenSSH wildcards: `*` and `?` only (brackets are literal, as in `[host]:port`). */
export function wildcardRegExp(glob: string, flags = ''): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${body}$`, flags)
}

function hashedMatches(entry: string, name: string): boolean {
  const [, , salt, hash] = entry.split('|')
  if (!salt || !hash) return false
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash
}

/** Whether a host-patterns field names `name`: a negated pattern that matches wins over the rest. */
export function patternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) return hashedMatches(patterns, name)
  let matched = false
  for (const p of patterns.split(',')) {
    const negated = p.startsWith('!')
    const glob = negated ? p.slice(1) : p
    if (!wildcardRegExp(glob, 'i').test(name)) continue
    if (negated) return false
    matched = true
  }
  return matched
}

export type HostKeyStatus =
  | { kind: 'known'; entry: KnownHost }
  | { kind: 'revoked'; entry: KnownHost }
  /** The host is recorded with another key of the same type. */
  | { kind: 'changed'; entry: KnownHost }
  /** Not recorded with this key type; `otherTypes` lists the types it is recorded with. */
  | { kind: 'new'; otherTypes: string[] }

export function hostKeyStatus(entries: readonly KnownHost[], name: string, key: Buffer): HostKeyStatus {
  const type = keyTypeOf(key)
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key))
  if (revoked) return { kind: 'revoked', entry: revoked }
  const mine = entries.filter((e) => e.marker === undefined && patternsMatch(e.patterns, name))
  const same = mine.find((e) => e.key.equals(key))
  if (same) return { kind: 'known', entry: same }
  const changed = mine.find((e) => e.keyType === type)
  if (changed) return { kind: 'changed', entry: changed }
  return { kind: 'new', otherTypes: [...new Set(mine.map((e) => e.keyType))] }
}

/** The key types recorded for a host, to ask the server for those first (as OpenSSH does). */
export function knownKeyTypes(entries: readonly KnownHost[], name: string): string[] {
  return [
    ...new Set(entries.filter((e) => e.marker === undefined && patternsMatch(e.patterns, name)).map((e) => e.keyType)),
  ]
}

export async function readKnownHosts(files: readonly string[]): Promise<KnownHost[]> {
  const all: KnownHost[] = []
  for (const file of files) {
    try {
      all.push(...parseKnownHosts(await readFile(file, 'utf8'), file))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
  }
  return all
}

/** The line OpenSSH would write; hashed like `HashKnownHosts yes` when asked. */
export function knownHostLine(name: string, key: Buffer, hashed: boolean): string {
  let host = name
  if (hashed) {
    const salt = randomBytes(20)
    host = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`
  }
  return `${host} ${keyTypeOf(key)} ${key.toString('base64')}\n`
}

export async function appendKnownHost(file: string, name: string, key: Buffer, hashed: boolean): Promise<void> {
  await makeDirs(dirname(file), 0o700)
  let prefix = ''
  try {
    const text = await readFile(file, 'utf8')
    if (text.length > 0 && !text.endsWith('\n')) prefix = '\n'
  } catch {
    // a new file
  }
  await appendFile(file, prefix + knownHostLine(name, key, hashed), { mode: 0o600 })
}
