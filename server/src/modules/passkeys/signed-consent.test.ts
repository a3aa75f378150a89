import { embeddedTestLedger } from '../../test/test-chain.js';
import { defineSignedConsentSuite } from '../../test/signed-consent-suite.js';

defineSignedConsentSuite('embedded chain', embeddedTestLedger);
