import { defineConfig } from 'vitest/config';
import { realChainReporter } from '../scripts/chain/real-chain-reporter.mjs';

// The real-chain suite is collected only when a node is configured; otherwise it does not exist
// for this run (never "skipped and green"), and the run says so at the start and at the end.
const realChain = Boolean(process.env.CHAIN_RPC_URL?.trim());
const notice = realChain
  ? `[contracts-client] CHAIN_RPC_URL is set: the contract suite runs against the embedded chain AND the real chain at ${process.env.CHAIN_RPC_URL}.`
  : '[contracts-client] CHAIN_RPC_URL is not set: the real-chain contract suite was NOT collected and did NOT run (embedded chain only).';
console.log(notice);

export default defineConfig({
  test: {
    pool: 'forks',
    // Two cores: more workers only add contention.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default', realChainReporter('contracts-client')],
    projects: [
      {
        test: {
          name: 'embedded',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.real-chain.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(realChain
        ? [
            {
              test: {
                name: 'real-chain',
                include: ['src/**/*.real-chain.test.ts'],
                // Blocks take seconds; the suite sends a few dozen txs.
                testTimeout: 300_000,
                hookTimeout: 300_000,
              },
            },
          ]
        : []),
    ],
  },
});
