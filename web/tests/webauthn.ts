import type { CDPSession, Page } from '@playwright/test';

/** Where a virtual authenticator sits: built into the device (a phone, a laptop) or a USB key. */
export type AuthenticatorTransport = 'internal' | 'usb';

/** Turns on Chromium's WebAuthn emulation for the page; answers the session that drives it. */
export async function enableWebAuthn(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  return cdp;
}

/**
 * Adds a virtual authenticator with a resident key and user verification, which answers
 * WebAuthn prompts without a person; answers its id.
 */
export async function addAuthenticator(
  cdp: CDPSession,
  transport: AuthenticatorTransport,
): Promise<string> {
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport,
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  return authenticatorId;
}

/**
 * Gives the page's browser one virtual authenticator (see {@link addAuthenticator}); answers a
 * way to read the credentials it holds.
 */
export async function addVirtualAuthenticator(page: Page, transport: AuthenticatorTransport) {
  const cdp = await enableWebAuthn(page);
  const authenticatorId = await addAuthenticator(cdp, transport);
  return async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
}
