import { describe, expect, it } from 'vitest';
import { recordConsentsGas } from './gas-estimate.js';
import type { ConsentItem } from './messages.js';

const item = (proof?: ConsentItem['proof']): ConsentItem => ({
  event_id: 'e',
  subject: 'a'.repeat(64),
  scope: 'purpose:GRU',
  decision: 'permit',
  version: 1,
  evidence: 'b'.repeat(64),
  time: '1700000000',
  ...(proof ? { proof } : {}),
});
const assertion = { key_id: 'k', authenticator_data: '', client_data_json: '', signature: '' };

describe('recordConsentsGas', () => {
  it('offers more for signed items than unsigned ones, and more for each covered digest', () => {
    const unsigned = recordConsentsGas([item()]);
    const signed = recordConsentsGas([item({ passkey: { assertion } })]);
    const covered = recordConsentsGas([
      item({ passkey: { assertion, covers: ['c'.repeat(64), 'd'.repeat(64)] } }),
    ]);
    expect(signed).toBeGreaterThan(unsigned);
    expect(covered).toBeGreaterThan(signed);
    // Above the measured gas (BENCHMARKS.md: 172,493 for one unsigned item, 206,026 signed).
    expect(unsigned).toBeGreaterThan(172_493);
    expect(signed).toBeGreaterThan(206_026);
    // 500 signed items stay within the localnet's 100 M block gas.
    expect(recordConsentsGas(Array(500).fill(item({ passkey: { assertion } })))).toBeLessThan(
      100_000_000,
    );
  });
});
