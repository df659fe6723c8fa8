/**
 * One small call of the master's v1 operator API (`GET_AGENTS`, `GET_FRAMEWORKS`, `GET_EXECUTORS`):
 * its JSON answer, or undefined when the master cannot give it (no v1 API before 1.0, a principal
 * without access to the read-write realm, a wrong-shape body). Why not is a debug line; callers
 * decide what the missing answer means. Answers that grow with the tasks are not read this way.
 */
import type { Deps } from '../deps/index.js'

export async function v1Call<T extends Record<string, unknown>>(deps: Deps, type: string): Promise<T | undefined> {
  const res = await deps.master().request('/master/api/v1', {
    method: 'POST',
    body: JSON.stringify({ type }),
    headers: { 'content-type': 'application/json', accept: 'application/json' },
  })
  if (res.status !== 200) {
    await res.dump()
    deps.debug(`v1 ${type}: the master answered ${res.status}`)
    return undefined
  }
  try {
    const body: unknown = JSON.parse((await res.bytes()).toString('utf8'))
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as T
  } catch {
    // not JSON: as good as no answer
  }
  deps.debug(`v1 ${type}: the answer is not a JSON object`)
  return undefined
}
