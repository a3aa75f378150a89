import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { realChainReporter } from '../scripts/chain/real-chain-reporter.mjs';

const require = createRequire(import.meta.url);
const realChain = Boolean(process.env.CHAIN_RPC_URL?.trim());

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
    pool: 'forks',
    // Two cores: more workers than that only adds contention (each holds its own database).
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // One throw-away key per run encrypts server_secrets in every worker and every process a
    // test spawns (tests of the key file itself name their own source).
    env: { SECRETS_KEY: randomBytes(32).toString('base64') },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', realChainReporter('server')],
    projects: [
      {
        extends: true,
        test: {
          name: 'embedded',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.real-chain.test.ts'],
          // These tests run on the embedded chain even when a real chain is configured.
          setupFiles: ['src/test/embedded-chain-only.ts'],
        },
      },
      // Collected only when a node is configured (scripts/chain/with-localnet.sh does it for
      // `npm test`): the same relay, anchoring and recovery paths against wasmd.
      ...(realChain
        ? [
            {
              extends: true as const,
              test: {
                name: 'real-chain',
                include: ['src/**/*.real-chain.test.ts'],
                testTimeout: 180_000,
                hookTimeout: 180_000,
                // One signing key: files take turns so their transactions never race its sequence.
                poolOptions: { forks: { singleFork: true } },
              },
            },
          ]
        : []),
    ],
  },
});
