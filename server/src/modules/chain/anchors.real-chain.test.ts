import { defineAnchoringSuite } from '../../test/anchoring-suite.js';
import { openRealTestLedger } from '../../test/real-test-chain.js';

// Collected only when CHAIN_RPC_URL is set (vitest.config.ts): anchoring and `audit verify`'s
// anchor comparison against wasmd.
defineAnchoringSuite('wasmd localnet', () => openRealTestLedger('anchoring suite'));
