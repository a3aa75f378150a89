import { describe, expect, it } from 'vitest';
import { vouchedBy } from './signed-by';

const keys = [{ credentialId: 'abc', name: 'Phone' }];

describe('vouchedBy', () => {
  it('names the passkey that signed', () => {
    expect(vouchedBy('abc', keys, 'Consentome')).toBe('Signed by your passkey Phone');
  });
  it('says the institution recorded an unsigned decision', () => {
    expect(vouchedBy(null, keys, 'Consentome')).toBe('Recorded by Consentome for you');
  });
  it('does not pass a removed passkey off as the institution', () => {
    expect(vouchedBy('gone', keys, 'Consentome')).toBe(
      'Signed by a passkey of yours (since removed)',
    );
  });
});
