import * as client from 'openid-client';
import type { Queryable } from '../../db/database.js';
import { readServerSecret } from '../secrets/server-secrets.js';
import type { OidcProviderSettings } from '../../lib/identity-settings.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for an http:// issuer on this machine (the test provider); only those may skip TLS. */
function isLoopbackHttp(issuer: URL): boolean {
  return issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
}

async function clientSecretOf(db: Queryable, provider: OidcProviderSettings): Promise<string> {
  if (provider.clientSecret !== undefined) return provider.clientSecret;
  const secret = await readServerSecret(db, provider.clientSecretName!);
  if (secret === undefined)
    throw new Error(
      `Server secret ${provider.clientSecretName} (provider ${provider.id}) is missing`,
    );
  return secret;
}

/**
 * The provider's configuration from its discovery document, fetched afresh for every step of a
 * sign-in. openid-client refuses a document whose `issuer` differs from the configured one. A
 * fresh fetch also means fresh keys: a provider that rotated its signing keys since the last
 * sign-in is verified against its current JWKS, and a key it no longer publishes is refused.
 * ID token signatures are checked against the JWKS (non-repudiation checks), not only trusted
 * because they came over TLS, and an ID token must be signed with RS256/ES256/PS256 (never
 * `none`).
 */
export async function providerConfiguration(
  db: Queryable,
  provider: OidcProviderSettings,
): Promise<client.Configuration> {
  const issuer = new URL(provider.issuer);
  const config = await client.discovery(
    issuer,
    provider.clientId,
    undefined,
    client.ClientSecretBasic(await clientSecretOf(db, provider)),
    {
      execute: isLoopbackHttp(issuer) ? [client.allowInsecureRequests] : [],
      timeout: 10,
    },
  );
  client.enableNonRepudiationChecks(config);
  return config;
}
