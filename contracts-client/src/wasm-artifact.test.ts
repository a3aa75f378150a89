import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  consentLedgerWasmPath,
  expectedConsentLedgerChecksum,
  loadConsentLedgerWasm,
} from './wasm-artifact.js';

describe('the committed contract wasm', () => {
  it('is found next to the package and matches checksums.txt', async () => {
    expect(consentLedgerWasmPath()).toMatch(
      /contracts\/consent-ledger\/artifacts\/consent_ledger\.wasm$/,
    );
    const wasm = await loadConsentLedgerWasm();
    expect(wasm.checksum).toBe(await expectedConsentLedgerChecksum());
    expect(Buffer.from(wasm.bytes.subarray(0, 4)).toString('latin1')).toBe('\0asm');
  });

  it('is refused when its bytes do not match the recorded checksum', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wasm-'));
    try {
      const path = join(dir, 'consent_ledger.wasm');
      await writeFile(path, 'not the contract');
      await expect(loadConsentLedgerWasm(path)).rejects.toThrow(/checksum mismatch/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
