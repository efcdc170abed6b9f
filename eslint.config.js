// Layer rules (renderer -> shared <- main; core never imports api, cli or electron; see the
// README's Architecture) are lint errors, so nobody has to remember them. Each rule holds for
// static imports and re-exports (no-restricted-imports) and for dynamic import() alike
// (no-restricted-syntax on the import's literal path).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

import { builtinModules } from 'node:module'

// bare names ('fs', 'events') as exact paths, so a local './events' is not mistaken for one
const nodeBuiltinPaths = (message) => builtinModules.map((name) => ({ name, message }))

/**
 * A glob of no-restricted-imports as a regular expression over an import's path, written for an
 * esquery selector: its regular expressions end at the first '/', so a slash is written \x2F.
 */
function globToRegex(glob) {
  const slash = '\\x2F'
  let out = ''
  for (let i = 0; i < glob.length; i++) {
    if (glob.startsWith('**/', i)) {
      out += `(?:.*${slash})?`
      i += 2
    } else if (glob.startsWith('**', i)) {
      out += '.*'
      i += 1
    } else if (glob[i] === '*') out += `[^${slash}]*`
    else if (glob[i] === '/') out += slash
    else out += glob[i].replace(/[.+?^${}()|[\]\\]/g, '\\$&')
  }
  return `^${out}$`
}

/**
 * zod's named export `z` is an object holding all of zod, its messages in 40-odd languages
 * among them, which the bundler must then keep: `import * as z` lets it leave out what is not
 * used (a third of the CLI's validate chunk, and of its start-up time).
 */
const zodNamespace = { selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']", message: "write import * as z from 'zod': the named z keeps all of zod in the bundle" }

/**
 * The rules of one layer: `forbidden` lists { group: [globs], message }, `builtins` a message
 * when Node's built-ins are off limits. Returns the rules for static and dynamic imports.
 */
function layer({ forbidden, builtins }) {
  const patterns = forbidden.map(({ group, message }) => ({ group, message }))
  const paths = builtins ? nodeBuiltinPaths(builtins) : []
  const dynamic = forbidden.flatMap(({ group, message }) =>
    group.map((glob) => ({ selector: `ImportExpression[source.value=/${globToRegex(glob)}/]`, message: `${message} (dynamic import)` })),
  )
  // bare names; 'node:*' is a group of `forbidden` where built-ins are
  if (builtins) dynamic.push({ selector: `ImportExpression[source.value=/^(?:${builtinModules.map((m) => m.replaceAll('/', '\\x2F')).join('|')})$/]`, message: `${builtins} (dynamic import)` })
  return {
    'no-restricted-imports': ['error', { paths, patterns }],
    'no-restricted-syntax': ['error', ...dynamic, zodNamespace],
  }
}

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
    // CommonJS files (the micronetes command): require() is how they load
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src-shared/**'],
    languageOptions: { globals: {} },
    rules: layer({
      builtins: 'src-shared is pure TypeScript: no Node built-ins.',
      forbidden: [
        { group: ['node:*'], message: 'src-shared is pure TypeScript: no Node built-ins.' },
        { group: ['electron', 'electron/*'], message: 'src-shared never imports electron.' },
        { group: ['**/src-main/**', '**/src-renderer/**', 'react', 'react-dom', 'react-dom/*'], message: 'src-shared imports nothing platform-specific.' },
      ],
    }),
  },
  {
    files: ['src-main/core/**'],
    rules: layer({
      forbidden: [
        { group: ['electron', 'electron/*'], message: 'core runs headless: it never imports electron.' },
        { group: ['**/api/**', '**/cli/**', '**/electron/**', '**/preload/**', '**/src-renderer/**'], message: 'core never imports api, cli, electron or the renderer.' },
      ],
    }),
  },
  {
    files: ['src-main/api/**'],
    rules: layer({
      forbidden: [
        { group: ['electron', 'electron/*'], message: 'the API runs headless: no electron.' },
        { group: ['**/cli/**'], message: 'the API never imports the CLI: the CLI is one of its hosts.' },
        { group: ['**/electron/**', '**/preload/**', '**/src-renderer/**'], message: 'imports point one way.' },
      ],
    }),
  },
  {
    files: ['src-main/cli/**'],
    rules: layer({
      forbidden: [
        { group: ['electron', 'electron/*'], message: 'the CLI runs headless: no electron.' },
        { group: ['**/electron/**', '**/preload/**', '**/src-renderer/**'], message: 'imports point one way.' },
      ],
    }),
  },
  {
    files: ['src-main/electron/**'],
    rules: layer({
      forbidden: [
        { group: ['**/src-renderer/**'], message: 'the desktop main process never imports the renderer: they talk through the contract in src-shared.' },
        { group: ['**/cli/**'], message: 'imports point one way.' },
      ],
    }),
  },
  {
    // the preload runs in the page's sandbox: electron's renderer side and the contract only
    files: ['src-main/preload/**'],
    rules: layer({
      builtins: 'the preload runs sandboxed: no Node built-ins.',
      forbidden: [
        { group: ['node:*'], message: 'the preload runs sandboxed: no Node built-ins.' },
        { group: ['**/core/**', '**/api/**', '**/cli/**', '**/electron/**', '**/src-renderer/**'], message: 'the preload imports only electron, src-shared and its own files.' },
      ],
    }),
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...layer({
        builtins: 'the renderer runs in a sandboxed page: no Node built-ins.',
        forbidden: [
          { group: ['**/src-main/**'], message: 'the renderer never imports main: use the contract in src-shared.' },
          { group: ['electron', 'electron/*', 'node:*'], message: 'the renderer runs in a sandboxed page.' },
        ],
      }),
    },
  },
)
