import { eq } from 'drizzle-orm';
import * as client from 'openid-client';
import type { Database } from '../../db/database.js';
import type { UserActor } from '../actors/actor.js';
import { sessionAuth } from './identity.tables.js';
import { providerConfiguration } from './oidc-client.js';
import type { IdentitySettings } from '../../lib/identity-settings.js';

/**
 * The provider's end-session URL (RP-initiated logout) for a session that came from a provider
 * advertising one, or null. A provider that cannot be reached does not stop the local sign-out.
 */
export async function providerLogoutUrl(
  db: Database,
  settings: IdentitySettings,
  viewer: UserActor,
): Promise<string | null> {
  if (viewer.sessionId === null) return null;
  const [row] = await db
    .select({ providerId: sessionAuth.providerId })
    .from(sessionAuth)
    .where(eq(sessionAuth.sessionId, viewer.sessionId));
  const provider = settings.providers.find((p) => p.id === row?.providerId);
  if (!provider) return null;
  try {
    const config = await providerConfiguration(db, provider);
    if (!config.serverMetadata().end_session_endpoint) return null;
    return client
      .buildEndSessionUrl(config, {
        client_id: provider.clientId,
        post_logout_redirect_uri: settings.postLogoutRedirectUri,
      })
      .toString();
  } catch {
    return null;
  }
}
