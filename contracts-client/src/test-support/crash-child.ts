// Child process for the kill -9 test: commits batches forever, printing each commit only after
// the chain reported it, until the parent kills it with SIGKILL.
import { openEmbeddedLedger } from '../embedded/open-embedded-ledger.js';
import { consentItems } from './fixtures.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: crash-child <dir>');
const { ledger } = await openEmbeddedLedger({ dir });
for (let batch = 0; ; batch++) {
  const receipt = await ledger.recordConsents(consentItems('crash', batch * 50, 50));
  const head = await ledger.head();
  process.stdout.write(
    `${JSON.stringify({ height: receipt.height, head: head.head, consents: head.consents })}\n`,
  );
}
