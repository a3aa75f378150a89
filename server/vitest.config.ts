import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 has no exports map: Node loads its CommonJS main (as Pothos and yoga do), while
    // Vite would pick the ESM "module" build for our files, giving two copies of every class.
    alias: [
      { find: /^graphql$/, replacement: require.resolve('graphql') },
      // Test against the client's source, so a stale build of it can never hide a change.
      {
        find: /^@consentome\/contracts-client$/,
        replacement: fileURLToPath(new URL('../contracts-client/src/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    // Two cores: more workers than that only adds contention (each holds its own database).
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // One throw-away key per run encrypts server_secrets in every worker and every process a
    // test spawns (tests of the key file itself name their own source).
    env: { SECRETS_KEY: randomBytes(32).toString('base64') },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
