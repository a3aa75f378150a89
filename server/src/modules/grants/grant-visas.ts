import type { Queryable } from '../../db/database.js';
import { signControlledAccessVisa } from './passport/visa.js';
import type { GrantRow } from './grants.service.js';

/** The URL a ControlledAccessGrants visa names for one of our datasets. */
export function datasetVisaValue(issuer: string, datasetId: string): string {
  return `${issuer}/datasets/${datasetId}`;
}

/** The URL of the granting body (our ethics board acting as DAC). */
export function boardSource(issuer: string): string {
  return `${issuer}/ethics-board`;
}

/**
 * One GA4GH ControlledAccessGrants visa per granted dataset (the Passport convention: one
 * visa, one resource), signed with the server's key, expiring with the grant, `by: dac`,
 * asserted when the board approved. Only for an active grant: callers check.
 */
export function grantVisas(db: Queryable, grant: GrantRow, issuer: string): Promise<string[]> {
  return Promise.all(
    grant.datasetIds.map((datasetId) =>
      signControlledAccessVisa(db, {
        subject: grant.researcherId,
        issuer,
        asserted: grant.issuedAt,
        expiresAt: grant.expiresAt,
        value: datasetVisaValue(issuer, datasetId),
        source: boardSource(issuer),
      }),
    ),
  );
}
