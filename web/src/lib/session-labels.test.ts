import { describe, expect, it } from 'vitest';
import { deviceName, signedInWith } from './session-labels';

describe('session labels', () => {
  it('names the ways of signing in', () => {
    expect(signedInWith(['pwd'])).toBe('password');
    expect(signedInWith(['pwd', 'otp'])).toBe('password and an authenticator code');
    expect(signedInWith(['pwd', 'pop'])).toBe('password and a passkey');
    expect(signedInWith(['hwk', 'mfa'])).toBe('a passkey');
    expect(signedInWith(['fed', 'mfa', 'otp'])).toBe('your institution and an authenticator code');
    expect(signedInWith(['mfa'])).toBe('another way');
  });

  it('says when a device was not recognised', () => {
    expect(deviceName(null)).toBe('Unknown device');
    expect(deviceName('Chrome on Linux')).toBe('Chrome on Linux');
  });
});
