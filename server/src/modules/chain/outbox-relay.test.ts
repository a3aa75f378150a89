import { defineRelaySuite } from '../../test/relay-suite.js';
import { embeddedTestLedger } from '../../test/test-chain.js';

defineRelaySuite('embedded chain', embeddedTestLedger);
