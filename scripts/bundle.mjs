// Bundles the runner (src/cli/main.ts: the definitions, the parser and what the everyday commands
// run) into one file, dist/bundle/main.js: one module to load and compile instead of some forty,
// which is most of start-up once oclif is out of the way (bench/README.md). The big modules of rare
// paths (the simulator, ssh, containers, ZooKeeper, help) stay out of it: the bundle imports them
// from dist/ as tsc compiled them, only when a command needs them (core/errors.ts and
// core/lifecycle.ts are written to be loaded twice). CommonJS packages stay external (a bundled
// require() of a node built-in fails in ESM).
import { build } from 'esbuild'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'src')
const RARE = /^(sim\/|core\/ssh\/|core\/container\/|core\/master\/zk\.ts$|cli\/help\.ts$|cli\/oclif\.ts$)/

/** A dynamic import of a rare module becomes an import of its compiled file in dist/. */
const rarePaths = {
  name: 'rare-paths',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (a) => {
      if (a.kind !== 'dynamic-import') return undefined
      const file = relative(src, join(a.resolveDir, a.path)).replace(/\.js$/, '.ts')
      return RARE.test(file) ? { path: `../${file.replace(/\.ts$/, '.js')}`, external: true } : undefined
    })
  },
}

const result = await build({
  entryPoints: { main: join(src, 'cli/main.ts') },
  outdir: join(root, 'dist/bundle'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['cosmiconfig', 'node-zookeeper-client', 'jsonc-parser', '@oclif/core', 'ssh2', 'cpu-features', 'cli-progress', 'ssh-config'],
  plugins: [rarePaths],
  logLevel: 'warning',
  metafile: true,
})
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0)
console.log(`dist/bundle/main.js: ${(bytes / 1024).toFixed(0)} KiB`)
