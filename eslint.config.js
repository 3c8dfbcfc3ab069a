/**
 * Lint: typescript-eslint with type information, React's hook rules for the renderer, and the
 * layering rule (VS Code's import-boundary rule is the model): the engine imports nothing outside
 * itself, src-shared (what both sides share, such as the action table) only the engine and zod,
 * the renderer no Node, Electron or main-process code (only src-shared/, with the IPC contract), and the main
 * process nothing of the renderer. `npm run lint`; part of `npm test`.
 */
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Imports no code in the engine may make: it runs in a worker, the renderer and the CLI alike. */
const notInEngine = [
  'node:*',
  'electron',
  'react',
  'react-dom',
  'zustand',
  '**/src-main/**',
  '**/src-renderer/**',
  '**/src-shared/**',
  '**/test/**',
  '**/bench/**',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'engine/wasm/**',
      'engine/src/fast/wasm-binary.ts',
      '.tmp-shots/**',
      'coverage/**',
    ],
  },
  // A disable comment that no longer silences anything is itself an error: none lingers.
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // Every switch over a union names each case (or ends in assertNever): a new activation,
      // loss or optimiser cannot fall through to a silent default.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      // A promise nobody awaits loses its error: say `void` where that is meant.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Control characters in patterns are on purpose here: they are what messages escape.
      'no-control-regex': 'off',
    },
  },
  {
    // Plain JavaScript (scripts, the CLI's launcher, configuration): no type information to lint with.
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node } },
  },
  {
    // Tests and benchmarks may use `any` for the shapes of mocks and foreign libraries.
    files: ['**/*.test.ts', 'test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      // Playwright's fixtures take their dependencies as a destructured first argument, often empty.
      'no-empty-pattern': 'off',
      // Some tests write the very digits of a float64 on purpose (17 significant digits round-trip).
      'no-loss-of-precision': 'off',
    },
  },
  {
    // CommonJS support files that Electronegativity and the offline guard load with require().
    files: ['**/*.cjs', 'test/support/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['engine/src/**/*.ts'],
    ignores: ['engine/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: notInEngine,
              message: 'The engine is pure TypeScript: it imports nothing outside engine/src (no DOM, Electron, Node or app code).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    ignores: ['src-shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\.|zod$)', message: 'src-shared runs on both sides: of packages it imports only zod.' },
            {
              group: ['**/src-main/**', '**/src-renderer/**', '**/test/**', '**/bench/**', '**/e2e/**'],
              message: 'src-shared imports only the engine and itself: both the main process and the renderer import it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // The classic rules of hooks. (v7's React Compiler rules judge code for a compiler the app
      // does not use.)
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'ws', 'fs', 'path', 'child_process'],
              message: 'The renderer runs in a browser: no Node or Electron modules.',
            },
            {
              group: ['**/src-main/**', '**/src-web/**'],
              message:
                'The renderer reaches its host (the main process, or the web edition’s in-page host) only through the IPC contract (src-shared/contract.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // The web edition's in-page host runs in the page and its Web Worker: browser globals, no Node,
    // no main-process code; only its entry (main.ts) starts the renderer, which in turn knows the
    // host only as window.nnstudio.
    files: ['src-web/**/*.ts'],
    ignores: ['src-web/**/*.test.ts', 'src-web/vite.config.ts', 'src-web/pwa/vite-plugin.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'ws', 'fs', 'path', 'child_process'],
              message: 'The web edition runs in a browser: no Node or Electron modules.',
            },
            { group: ['**/src-main/**'], message: 'The web edition shares host code through src-shared/host, never src-main.' },
            {
              regex: 'src-renderer/(?!src/main$)',
              message: 'Only src-web/main.ts starts the renderer; the host reaches it through the contract.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src-renderer/**'],
              message: 'The main process does not import renderer code; share through engine/ or the IPC contract.',
            },
          ],
        },
      ],
    },
  },
);
