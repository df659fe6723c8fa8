// Bundles the runner (src/cli/main.ts: the definitions, the parser and what the everyday commands
// run) into one file, dist/bundle/main.js: one module to load and compile instead of some forty,
// which is most of start-up once oclif is out of the way (bench/README.md). The big modules of rare
// paths (the simulator, ssh, containers, ZooKeeper, help) stay out of it: the bundle imports them
// from dist/ only when a command needs them (core/errors.ts and core/lifecycle.ts are written to be
// loaded twice). CommonJS packages stay external (a bundled require() of a node built-in fails in
// ESM), except ssh2: the ssh modules are bundled on their own with it (next build).
import { build } from 'esbuild'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'src')
const RARE = /^(sim\/|core\/ssh\/|core\/container\/|core\/master\/zk\.ts$|cli\/help\.ts$|cli\/oclif\.ts$)/
const EXTERNAL = ['cosmiconfig', 'node-zookeeper-client', 'jsonc-parser', '@oclif/core', 'cli-progress', 'ssh-config']

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

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', metafile: true }
const main = await build({
  ...common,
  entryPoints: { main: join(src, 'cli/main.ts') },
  outdir: join(root, 'dist/bundle'),
  external: [...EXTERNAL, 'ssh2', 'cpu-features'],
  plugins: [rarePaths],
})

// The ssh commands' entry modules, over the compiled ones in dist/core/ssh, with ssh2 inside them
// (its require() calls served by the banner's createRequire), so that installing the package runs no
// install script. ssh2's native add-ons (sshcrypto.node, cpu-features) are optional speed-ups it
// loads in try/catch: left out, it uses its JavaScript and node:crypto paths.
const ssh = await build({
  ...common,
  entryPoints: { ssh: join(src, 'core/ssh/ssh.ts'), scp: join(src, 'core/ssh/scp.ts') },
  outdir: join(root, 'dist/core/ssh'),
  allowOverwrite: true,
  external: [...EXTERNAL, 'cpu-features', '*.node'],
  banner: {
    js: [
      "import { createRequire as __mesosCreateRequire } from 'node:module';",
      "import { fileURLToPath as __mesosFileURLToPath } from 'node:url';",
      'const require = __mesosCreateRequire(import.meta.url);',
      'const __filename = __mesosFileURLToPath(import.meta.url);',
      "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
    ].join(' '),
  },
})
const kib = (r) => (Object.values(r.metafile.outputs).reduce((n, o) => n + o.bytes, 0) / 1024).toFixed(0)
console.log(`dist/bundle/main.js: ${kib(main)} KiB; dist/core/ssh/{ssh,scp}.js with ssh2: ${kib(ssh)} KiB`)
