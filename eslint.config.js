// Flat config shared by every workspace: typed TypeScript rules for the Node packages,
// the Svelte plugin for the portal.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '**/.svelte-kit/**',
      '**/.turbo/**',
      '.data/**',
      'contracts/consent-ledger/target/**',
      // Compiled from web/messages by paraglide at build time.
      'web/src/lib/paraglide/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
    // The portal is served at the root (no `paths.base`), so plain hrefs are correct and
    // wrapping every link in resolve() would add noise without changing behaviour.
    rules: { 'svelte/no-navigation-without-resolve': 'off' },
  },
);
