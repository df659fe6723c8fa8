/**
 * One parser over a saved `/master/state` file, fed in 64 KiB chunks as a socket would deliver it:
 * `scanner` (the CLI's, full index or filtered), `streamparser` (@streamparser/json with the paths
 * the CLI used to ask for), `json` (JSON.parse of the whole body). Prints `ms tasks` on stdout; run
 * it under /usr/bin/time -v for its peak RSS (bench/parse.ts does).
 */
import { createReadStream } from 'node:fs'
import { JSONParser } from '@streamparser/json'
import { collectState } from '../src/core/tasks/stream.js'

const [method, file] = process.argv.slice(2) as [string, string]
const chunks = () => createReadStream(file, { highWaterMark: 65536 })
const t0 = performance.now()
let tasks = 0
if (method === 'scanner') tasks = (await collectState(chunks())).tasks.length
else if (method === 'scanner-filter') tasks = (await collectState(chunks(), { keep: (id) => id.includes('task-09999'), ids: true })).tasks.length
else if (method === 'json') {
  const parts: Buffer[] = []
  for await (const c of chunks()) parts.push(c as Buffer)
  const state = JSON.parse(Buffer.concat(parts).toString('utf8')) as { frameworks: { tasks: unknown[]; completed_tasks: unknown[] }[] }
  for (const f of state.frameworks) tasks += f.tasks.length + f.completed_tasks.length
} else if (method === 'streamparser') {
  const lists = ['frameworks', 'completed_frameworks']
  const paths = ['$.pid', '$.leader', '$.slaves.*', ...lists.flatMap((l) => [`$.${l}.*.tasks.*`, `$.${l}.*.unreachable_tasks.*`, `$.${l}.*.completed_tasks.*`, `$.${l}.*.executors.*`, `$.${l}.*.id`])]
  const parser = new JSONParser({ paths, keepStack: false })
  parser.onValue = ({ stack }) => {
    if (stack.length === 5 && stack[3]?.key !== 'executors') tasks++
  }
  for await (const c of chunks()) parser.write(c as Buffer)
} else throw new Error(`unknown method ${method}`)
console.log(`${(performance.now() - t0).toFixed(0)} ${tasks}`)
