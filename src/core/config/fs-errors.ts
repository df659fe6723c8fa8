/**
 * File-system errors in words (`permission denied`, not `EACCES: permission denied, open '…'`), for
 * messages such as `cannot read /home/u/.mesos.json: permission denied`.
 */
const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  EBUSY: 'resource busy',
}

export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  if (code && REASONS[code]) return REASONS[code]
  const message = (err as Error | undefined)?.message ?? String(err)
  // node's own text is "CODE: words, syscall 'path'": keep the words
  return /^[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message
}
