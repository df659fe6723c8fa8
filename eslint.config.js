// Lint rules: eslint's and typescript-eslint's recommended sets, type-aware where it pays
// (floating promises are the classic CLI bug: a request nobody waits for).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'scratch/**', 'oclif.manifest.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      // `total += await part()` in parallel callbacks loses updates (it read total before the await)
      'require-atomic-updates': ['error', { allowProperties: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/core/dirs.ts'],
    rules: {
      // Node's own recursive mkdir spins forever where mkdir answers ENOENT under an existing parent
      // (/proc/x); src/core/dirs.ts is the one way the project makes directories
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name=/^mkdir/] Property[key.name='recursive']",
          message: 'use makeDirs/makeDirsSync from src/core/dirs.ts',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
)
