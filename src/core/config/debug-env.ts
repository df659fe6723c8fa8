/**
 * Whether the environment asks for our debug output: `MESOS_CLI_DEBUG` (any value but empty, 0,
 * false), `DEBUG` set to a plain yes (`1`, `true`, `yes`, `on`), or a `DEBUG` list in the `debug`
 * package's style that names us (`mesos`, `mesos:*`, `*`). `DEBUG=express:*`, common in Node
 * shops, is someone else's and leaves us quiet.
 */
export function debugFromEnv(env: NodeJS.ProcessEnv): boolean {
  const own = env.MESOS_CLI_DEBUG
  if (own !== undefined && own !== '' && own !== '0' && own !== 'false') return true
  if (/^\s*(1|true|yes|on)\s*$/i.test(env.DEBUG ?? '')) return true
  return (env.DEBUG ?? '')
    .split(/[\s,]+/)
    .filter((p) => p !== '' && !p.startsWith('-'))
    .some((p) => p === '*' || p === 'mesos' || p === 'mesos*' || p.startsWith('mesos:'))
}
