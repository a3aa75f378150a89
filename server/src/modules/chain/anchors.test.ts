import { defineAnchoringSuite } from '../../test/anchoring-suite.js';
import { embeddedTestLedger } from '../../test/test-chain.js';

defineAnchoringSuite('embedded chain', embeddedTestLedger);
