import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/database.js';
import type { Route } from '../../../http/router.js';
import { requestViewer } from '../../../http/request-viewer.js';
import { users } from '../../accounts/accounts.tables.js';
import { appendAuditEvent } from '../../audit/audit.service.js';
import { affiliationAssertions } from './affiliation-visas.js';
import { activeGrantsOf } from '../active-grants.js';
import { grantVisas } from '../grant-visas.js';
import { signPassport } from './passport.js';
import { signAffiliationAndRoleVisa, signResearcherStatusVisa } from './visa.js';

/** Where the broker answers. */
export const PASSPORT_PATH = '/ga4gh/passport/v1';

const PASSPORT_TTL_SECONDS = 3_600;

/**
 * The Passport broker: a signed-in researcher gets a GA4GH Passport holding their visas:
 * AffiliationAndRole as their institution's provider asserted it (or an administrator, for an
 * account without one; never guessed from an e-mail address), ResearcherStatus once an
 * administrator has confirmed them, and ControlledAccessGrants for their active grants. Every
 * issue is audited.
 */
export function passportBrokerRoute(db: Database, issuer: string): Route {
  return {
    prefix: PASSPORT_PATH,
    handler: async (request) => {
      if (new URL(request.url).pathname !== PASSPORT_PATH)
        return Response.json({ error: 'not found' }, { status: 404 });
      if (request.method !== 'GET')
        return Response.json(
          { error: 'method not allowed' },
          { status: 405, headers: { Allow: 'GET' } },
        );
      const viewer = await requestViewer(db, request);
      if (!viewer)
        return Response.json(
          { error: 'sign in first (Authorization: Bearer <token>)' },
          { status: 401 },
        );
      if (viewer.role !== 'researcher')
        return Response.json({ error: 'only researchers hold passports' }, { status: 403 });
      const [user] = await db.select().from(users).where(eq(users.id, viewer.userId));
      const now = Math.floor(Date.now() / 1000);
      const expiresAt = now + PASSPORT_TTL_SECONDS;
      const visas: string[] = [];
      for (const affiliation of await affiliationAssertions(db, viewer.userId, issuer))
        visas.push(
          await signAffiliationAndRoleVisa(db, {
            subject: viewer.userId,
            issuer,
            asserted: affiliation.asserted,
            expiresAt,
            value: affiliation.value,
            source: affiliation.source,
            by: affiliation.by,
          }),
        );
      if (user!.researcherStatusConfirmedAt) {
        visas.push(
          await signResearcherStatusVisa(db, {
            subject: viewer.userId,
            issuer,
            asserted: Math.floor(user!.researcherStatusConfirmedAt.getTime() / 1000),
            expiresAt,
            source: issuer,
          }),
        );
      }
      // ControlledAccessGrants: one per dataset of each grant active right now; expired and
      // revoked grants never appear.
      for (const grant of await activeGrantsOf(db, viewer.userId))
        visas.push(...(await grantVisas(db, grant, issuer)));
      const passport = await signPassport(db, {
        issuer,
        subject: viewer.userId,
        visas,
        ttlSeconds: PASSPORT_TTL_SECONDS,
      });
      await db.transaction((tx) =>
        appendAuditEvent(tx, viewer, {
          action: 'passport.issue',
          targetType: 'user',
          targetId: viewer.userId,
          payload: { visas: visas.length },
        }),
      );
      return new Response(JSON.stringify({ passport, expires_at: expiresAt }), {
        headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
      });
    },
  };
}
