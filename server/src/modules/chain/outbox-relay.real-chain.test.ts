import { openRealTestLedger } from '../../test/real-test-chain.js';
import { defineRelaySuite } from '../../test/relay-suite.js';

// Collected only when CHAIN_RPC_URL is set (vitest.config.ts): the relay against wasmd.
defineRelaySuite('wasmd localnet', () => openRealTestLedger('relay suite'));
