// Bundles the fast path (src/cli/fast.ts and everything it loads, lazily or not) into one file,
// dist/fast.js: one module to load instead of some forty, which is most of what is left of the hot
// commands' start-up once oclif is out of the way (bench/README.md). Libraries loaded through
// createRequire or only on rare paths stay external.
import { build } from 'esbuild'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const result = await build({
  entryPoints: [join(root, 'src/cli/fast.ts')],
  outfile: join(root, 'dist/fast.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['cosmiconfig', 'node-zookeeper-client', 'jsonc-parser'],
  logLevel: 'warning',
  metafile: true,
})
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0)
console.log(`dist/fast.js: ${(bytes / 1024).toFixed(0)} KiB`)
