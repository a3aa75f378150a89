import { openRealTestLedger } from '../../test/real-test-chain.js';
import { defineSignedConsentSuite } from '../../test/signed-consent-suite.js';

// The same suite on wasmd: the localnet's contract verifies the participant's signatures with
// wasmvm's secp256r1_verify.
defineSignedConsentSuite('real chain', () => openRealTestLedger('signed consent'));
