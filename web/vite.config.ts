/// <reference types="vitest/config" />
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  server: { host: '127.0.0.1', port: 3000 },
  preview: { host: '127.0.0.1', port: 3000 },
  // Unit tests of the portal's pure logic; the pages themselves are tested in a browser.
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
