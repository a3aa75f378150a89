/// <reference types="vitest/config" />
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    // Compiles messages/{en,es}.json into typed message functions in src/lib/paraglide (not
    // committed) on every build, dev start and unit-test run; options in
    // project.inlang/paraglide.config.js.
    paraglideVitePlugin({ project: './project.inlang' }),
    sveltekit(),
  ],
  server: { host: '127.0.0.1', port: 3000 },
  preview: { host: '127.0.0.1', port: 3000 },
  // Unit tests of the portal's pure logic; the pages themselves are tested in a browser.
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
