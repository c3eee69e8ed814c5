import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
  { ignores: ['build/', '.svelte-kit/', 'data/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // One concept per file: a file past 300 lines is a hint to split it.
      'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
      // The console is served at the root, and links that carry filters in their query string
      // cannot be written as a bare resolve() call; route ids are still resolved where they apply.
      'svelte/no-navigation-without-resolve': ['error', { ignoreLinks: true }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } },
  },
  {
    // Modules under src/lib never read the environment: configuration is parsed once at start-up and injected.
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Take configuration as a parameter; parse the environment only in a composition root.' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['$env/*'], message: 'Take configuration as a parameter; parse the environment only in a composition root.' }] }],
    },
  },
);
