/** Where this server publishes the public keys that verify its visas and passports. */
export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * The JWKS URL of an issuer (the `jku` of our visas). A trailing slash on the issuer is dropped
 * so `https://x/` and `https://x` name the same key set instead of `https://x//.well-known/…`.
 */
export function jwksUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}${JWKS_PATH}`;
}
