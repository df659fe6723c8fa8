// Bundles the runner (src/cli/main.ts: the definitions, the parser and what the everyday commands
// run) into one file, dist/bundle/main.cjs: one script to load and compile instead of some forty,
// which is most of start-up once oclif is out of the way (bench/README.md). It is loaded by
// src/cli/bundle-loader.ts through V8's code cache, which this script also writes (warm-up below),
// so the bundle is CommonJS-shaped: `import.meta.url` and `import()` become the loader's
// `__mesosUrl` and `__mesosImport`. The big modules of rare paths (the simulator, ssh, containers,
// ZooKeeper, help) stay out of it: the bundle imports them from dist/ only when a command needs them
// (core/errors.ts and core/lifecycle.ts are written to be loaded twice). Packages stay external,
// except ssh2: the ssh modules are bundled on their own with it (next build).
import { build } from 'esbuild'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'src')
const RARE = /^(sim\/|core\/ssh\/|core\/container\/|core\/master\/zk\.ts$|cli\/help\.ts$|cli\/oclif\.ts$)/
const EXTERNAL = ['node-zookeeper-client', 'jsonc-parser', '@oclif/core', 'cli-progress', 'ssh-config']

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
  format: 'cjs',
  charset: 'ascii',
  entryPoints: { main: join(src, 'cli/main.ts') },
  outdir: join(root, 'dist/bundle'),
  outExtension: { '.js': '.cjs' },
  external: [...EXTERNAL, 'ssh2', 'cpu-features'],
  plugins: [rarePaths],
  define: { 'import.meta.url': '__mesosUrl' },
  supported: { 'dynamic-import': true },
})
rewriteDynamicImports(join(root, 'dist/bundle/main.cjs'), main.metafile)
await wrapBundle(join(root, 'dist/bundle/main.cjs'))

/**
 * A vm.Script cannot run `import()` (Node 20 wants --experimental-vm-modules for its callback), so
 * every dynamic import, all of them string literals, calls the loader's function instead. The
 * rewritten specifiers must be exactly the dynamic imports esbuild reports, or the build fails.
 */
function rewriteDynamicImports(file, metafile) {
  const expected = new Set(
    Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path)),
  )
  const seen = new Set()
  const text = readFileSync(file, 'utf8').replace(/\bimport\(("[^"\\]+")\)/g, (_, literal) => {
    seen.add(JSON.parse(literal))
    return `__mesosImport(${literal})`
  })
  const same = seen.size === expected.size && [...seen].every((p) => expected.has(p))
  if (!same || /\bimport\(/.test(text)) {
    throw new Error(`dist/bundle/main.cjs: dynamic imports ${[...seen].join(', ')} are not esbuild's ${[...expected].join(', ')}`)
  }
  writeFileSync(file, text)
}

/** The file becomes the function the loader calls, read as it is (src/cli/bundle-loader.ts). */
async function wrapBundle(file) {
  const loader = await import(join(root, 'dist/cli/bundle-loader.js'))
  writeFileSync(file, loader.wrapBundle(readFileSync(file, 'latin1')), 'latin1')
}

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

// The code cache: one process runs a few commands that need no cluster (and one that finds none,
// for the request and error paths) so that V8 has compiled what every command uses, then writes
// the cache (src/cli/bundle-loader.ts). Their output is of no interest.
const home = mkdtempSync(join(tmpdir(), 'mesos-build-'))
try {
  const warm = [['config'], ['completion', 'bash'], ['tail', '-n', 'abc', 'x'], ['--timeout', '1', 'ls', 'x'], ['ps']]
  const program = `
    const { loadBundle } = await import(${JSON.stringify(join(root, 'dist/cli/bundle-loader.js'))})
    const bundle = loadBundle(new URL(${JSON.stringify(`file://${join(root, 'dist/bundle/main.cjs')}`)}))
    for (const argv of ${JSON.stringify(warm)}) await bundle.runCli(argv)
    bundle.saveCodeCache()`
  const env = { PATH: process.env.PATH, HOME: home, MESOS_CLI_CACHE_DIR: join(home, 'cache'), MESOS_MASTER: '127.0.0.1:1', NO_COLOR: '1' }
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], { env, stdio: ['ignore', 'ignore', 'pipe'], cwd: home, timeout: 60_000 })
  if (r.status !== 0) throw new Error(`warming the code cache failed: ${r.stderr}`)
} finally {
  rmSync(home, { recursive: true, force: true })
}
const cacheKib = (readFileSync(join(root, 'dist/bundle/main.cjs.cache')).length / 1024).toFixed(0)
console.log(`dist/bundle/main.cjs: ${kib(main)} KiB (code cache ${cacheKib} KiB); dist/core/ssh/{ssh,scp}.js with ssh2: ${kib(ssh)} KiB`)
