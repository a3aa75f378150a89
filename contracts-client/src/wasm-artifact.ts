import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// Both src/ (tests, tsx) and dist/ sit one level below the package root.
const WASM_URL = new URL(
  '../../contracts/consent-ledger/artifacts/consent_ledger.wasm',
  import.meta.url,
);
const CHECKSUMS_URL = new URL(
  '../../contracts/consent-ledger/artifacts/checksums.txt',
  import.meta.url,
);

/** Absolute path of the committed consent-ledger wasm. */
export function consentLedgerWasmPath(): string {
  return fileURLToPath(WASM_URL);
}

/** The SHA-256 recorded for the wasm in `artifacts/checksums.txt` (sha256sum format). */
export async function expectedConsentLedgerChecksum(): Promise<string> {
  const text = await readFile(CHECKSUMS_URL, 'utf8');
  const line = text.split('\n').find((l) => /\s\*?consent_ledger\.wasm$/.test(l.trim()));
  const checksum = line?.trim().split(/\s+/)[0];
  if (!checksum || !/^[0-9a-f]{64}$/.test(checksum)) {
    throw new Error(`no checksum for consent_ledger.wasm in ${fileURLToPath(CHECKSUMS_URL)}`);
  }
  return checksum;
}

export interface ConsentLedgerWasm {
  bytes: Uint8Array;
  checksum: string;
  path: string;
}

/**
 * Reads the committed wasm and verifies it against checksums.txt, so that a stale or tampered
 * artifact is never deployed or simulated.
 */
export async function loadConsentLedgerWasm(
  path: string = consentLedgerWasmPath(),
): Promise<ConsentLedgerWasm> {
  const [bytes, expected] = await Promise.all([readFile(path), expectedConsentLedgerChecksum()]);
  const checksum = createHash('sha256').update(bytes).digest('hex');
  if (checksum !== expected) {
    throw new Error(
      `consent-ledger wasm checksum mismatch: ${path} is ${checksum}, checksums.txt says ${expected}`,
    );
  }
  return { bytes: new Uint8Array(bytes), checksum, path };
}
