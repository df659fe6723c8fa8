// Bundles the runner (src/cli/main.ts: the definitions, the parser and what every run needs) into
// dist/bundle/, split so that each command's own modules load only when it runs: a handful of
// modules to read instead of some forty, which is most of start-up once oclif is out of the way
// (bench/README.md). Libraries loaded through createRequire or only on rare paths stay external,
// and so does oclif (help only).
import { build } from 'esbuild'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const result = await build({
  entryPoints: { main: join(root, 'src/cli/main.ts') },
  outdir: join(root, 'dist/bundle'),
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS packages stay external (a bundled require() of a node built-in fails in ESM), and so does oclif (help only).
  // ssh2 is the exception: bundled (its require() calls served by the banner's createRequire) so that
  // installing the package runs no install script. Its native add-ons (sshcrypto.node, cpu-features)
  // are optional speed-ups it loads in try/catch: left out, it uses its JavaScript and node:crypto paths.
  external: ['cosmiconfig', 'node-zookeeper-client', 'jsonc-parser', '@oclif/core', 'cpu-features', '*.node', 'cli-progress', 'ssh-config'],
  banner: {
    js: [
      "import { createRequire as __mesosCreateRequire } from 'node:module';",
      "import { fileURLToPath as __mesosFileURLToPath } from 'node:url';",
      'const require = __mesosCreateRequire(import.meta.url);',
      'const __filename = __mesosFileURLToPath(import.meta.url);',
      "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
    ].join(' '),
  },
  logLevel: 'warning',
  metafile: true,
})
const main = result.metafile.outputs['dist/bundle/main.js'] ?? Object.values(result.metafile.outputs)[0]
const total = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0)
console.log(`dist/bundle: main.js ${(main.bytes / 1024).toFixed(0)} KiB, ${Object.keys(result.metafile.outputs).length} files, ${(total / 1024).toFixed(0)} KiB in all`)
