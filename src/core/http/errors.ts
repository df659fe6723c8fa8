/**
 * Turning transport failures and HTTP statuses into messages that say what was asked of whom:
 * "cannot reach master 10.0.0.5:5050: connection refused", "401 from agent ...: set principal/secret".
 */
import { cut } from '../secrets/mask.js'
import { failure, MesosError, masterError } from '../errors.js'
import { type Endpoint, hostPort } from './endpoint.js'

/** Codes our client gives its own timeouts. */
export const TIMEOUT = {
  connect: 'MESOS_CONNECT_TIMEOUT',
  headers: 'MESOS_HEADERS_TIMEOUT',
  body: 'MESOS_BODY_TIMEOUT',
} as const

const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown certificate issuer',
  CERT_HAS_EXPIRED: 'certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
}

function errCode(err: unknown): string | undefined {
  let e = err as { code?: string; cause?: unknown } | undefined
  for (let depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string') return e.code
    e = e.cause as typeof e
  }
  return (err as { code?: string } | undefined)?.code
}

/** Host names come from the cluster too: cut, so a hostile one cannot flood the error line. */
function who(e: Endpoint): string {
  return `${e.role} ${cut(hostPort(e), 260)}`
}

/** A transport failure: exit 4 for masters (the cluster cannot be reached), 1 for agents. */
export function transportError(e: Endpoint, err: unknown, timeoutSec: number): MesosError {
  const make = e.role === 'master' ? masterError : failure
  const code = errCode(err)
  const tls = code ? TLS_CODES[code] : undefined
  if (tls) {
    return make(`TLS certificate of ${who(e)} not trusted: ${tls}`, [
      'set ca_file to the cluster CA bundle (mesos config ca_file PATH), or insecure true to skip verification',
    ])
  }
  switch (code) {
    case 'ECONNREFUSED':
      return make(`cannot reach ${who(e)}: connection refused`)
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make(`cannot reach ${who(e)}: unknown host`)
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return make(`cannot reach ${who(e)}: host unreachable`)
    case 'ECONNRESET':
    case 'EPIPE':
      return make(`connection to ${who(e)} was reset`)
    case 'ETIMEDOUT':
    case TIMEOUT.connect:
      return make(`cannot reach ${who(e)}: connect timed out after ${timeoutSec}s`)
    case TIMEOUT.headers:
    case TIMEOUT.body:
      return make(`${who(e)} did not answer within ${timeoutSec}s`, [
        'raise response_timeout or pass --timeout',
      ])
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return make(
        `TLS handshake with ${who(e)} failed: is it serving ${e.scheme === 'https' ? 'http' : 'https'}?`,
        [`set scheme to ${e.scheme === 'https' ? 'http' : 'https'}`],
      )
    default: {
      const msg = (err as Error | undefined)?.message ?? String(err)
      return make(`cannot reach ${who(e)}: ${msg}`)
    }
  }
}

/** A non-success HTTP status, with what to do about it where we know. */
export function statusError(
  e: Endpoint,
  method: string,
  path: string,
  status: number,
  body: string,
  headers: Record<string, string | string[] | undefined>,
): MesosError {
  const target = `${method} ${path.split('?')[0]}`
  if (status === 401) {
    const challenge = String(headers['www-authenticate'] ?? '')
    const hint = /^bearer/i.test(challenge)
      ? 'set token (mesos config token ...)'
      : /acsjwt|oauthjwt/i.test(challenge)
        ? 'this cluster wants a DC/OS token: set token'
        : 'set principal/secret (mesos config principal ...; mesos config secret ...)'
    return new MesosError('failure', `401 from ${who(e)} for ${target}: ${hint}`, { status })
  }
  if (status === 403) return new MesosError('failure', `403 from ${who(e)}: not allowed to ${target}`, { status })
  const first = body
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim()
    .slice(0, 200)
  return new MesosError('failure', `${who(e)} answered ${status} for ${target}${first ? `: ${first}` : ''}`, { status })
}
