import { describe, expect, it } from 'vitest';
import { versionChecks } from './version-checks';
import type { BrowserVerdict } from './verify-in-browser';

const v = (eventId: string, version: number, status: BrowserVerdict['status']): BrowserVerdict => ({
  eventId,
  scope: 'gru',
  version,
  status,
  detail: status === 'failed' ? 'the signature does not match your passkey' : 'ok',
});

describe('versionChecks', () => {
  it('marks a version checked only when every signed record of it verifies', () => {
    const checks = versionChecks([
      v('pref:a', 1, 'institution'),
      v('pref:b', 2, 'verified'),
      v('pref:c', 2, 'verified'),
      v('pref:d', 3, 'verified'),
      v('pref:e', 3, 'failed'),
      // A study answer's version 4 is not preference version 4.
      v('study-decision:f', 4, 'failed'),
    ]);
    expect(checks.has(1)).toBe(false);
    expect(checks.get(2)?.ok).toBe(true);
    expect(checks.get(3)).toEqual({
      ok: false,
      text: '✗ Check failed in your browser: the signature does not match your passkey.',
    });
    expect(checks.has(4)).toBe(false);
  });
});
