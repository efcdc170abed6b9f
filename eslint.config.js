// Layer rules (../DESIGN: renderer -> shared <- main; core never imports api, cli or electron)
// are lint errors, so nobody has to remember them.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

import { builtinModules } from 'node:module'

// bare names ('fs', 'events') as exact paths, so a local './events' is not mistaken for one
const nodeBuiltinPaths = (message) => builtinModules.map((name) => ({ name, message }))

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'sdk/dist/**', '**/node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src-shared/**'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltinPaths('src-shared is pure TypeScript: no Node built-ins.'),
        patterns: [
          { group: ['node:*'], message: 'src-shared is pure TypeScript: no Node built-ins.' },
          { group: ['electron', 'electron/*'], message: 'src-shared never imports electron.' },
          { group: ['**/src-main/**', '**/src-renderer/**', 'react', 'react-dom', 'react-dom/*'], message: 'src-shared imports nothing platform-specific.' },
        ],
      }],
    },
  },
  {
    files: ['src-main/core/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'core runs headless: it never imports electron.' },
          { group: ['**/api/**', '**/cli/**', '**/electron/**', '**/preload/**', '**/src-renderer/**'], message: 'core never imports api, cli, electron or the renderer.' },
        ],
      }],
    },
  },
  {
    files: ['src-main/api/**', 'src-main/cli/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'the API and the CLI run headless: no electron.' },
          { group: ['**/electron/**', '**/preload/**', '**/src-renderer/**'], message: 'imports point one way.' },
        ],
      }],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        paths: nodeBuiltinPaths('the renderer runs in a sandboxed page: no Node built-ins.'),
        patterns: [
          { group: ['**/src-main/**'], message: 'the renderer never imports main: use the contract in src-shared.' },
          { group: ['electron', 'electron/*', 'node:*'], message: 'the renderer runs in a sandboxed page.' },
        ],
      }],
    },
  },
)
