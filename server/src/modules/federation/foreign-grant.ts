import { and, desc, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { datasets } from '../datasets/datasets.tables.js';
import { networkAccessOfRow, type NetworkAccess } from '../datasets/network-access.js';
import { datasetVisaValue } from '../grants/grant-visas.js';
import type { ForeignVisa } from './foreign-visa.js';
import { networkAccessRequests } from './federation.tables.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A request recorded here for a foreign visa's holder (network-access-requests.ts). */
export type NetworkAccessRequestRow = typeof networkAccessRequests.$inferSelect;

/** A dataset of ours that a foreign ControlledAccessGrants visa names. */
export interface ForeignGrant {
  dataset: { id: string; name: string; networkAccess: NetworkAccess };
  /** The newest request recorded here for this holder and dataset, or null. */
  request: NetworkAccessRequestRow | null;
}

/**
 * Which of this site's datasets a verified foreign ControlledAccessGrants visa names, and
 * whether the dataset accepts visas from other members at all: the visa must be a DAC's
 * (`by: dac`), its `value` one of our dataset URLs (`<our issuer>/datasets/<id>`), and the
 * dataset's `networkAccess` not `none`. What else is needed (this site's DAC approval, a
 * purpose) is the caller's rule: see `beaconOpens` and the network export.
 */
export async function foreignGrant(
  db: Queryable,
  ownIssuer: string,
  foreign: ForeignVisa,
): Promise<ForeignGrant | { refused: string }> {
  const { member, visa } = foreign;
  if (visa.visa.type !== 'ControlledAccessGrants' || visa.visa.by !== 'dac')
    return { refused: `${member.id}: only a DAC's ControlledAccessGrants visa grants a dataset` };
  const prefix = datasetVisaValue(ownIssuer, '');
  const id = visa.visa.value.startsWith(prefix) ? visa.visa.value.slice(prefix.length) : '';
  if (!UUID.test(id))
    return { refused: `${member.id}: the visa grants ${visa.visa.value}, not a dataset held here` };
  const [row] = await db
    .select({ id: datasets.id, name: datasets.name, networkAccess: datasets.networkAccess })
    .from(datasets)
    .where(eq(datasets.id, id));
  if (!row) return { refused: `${member.id}: the visa names a dataset this site does not hold` };
  const networkAccess = networkAccessOfRow(row);
  if (networkAccess === 'none')
    return { refused: `dataset ${row.name} does not accept visas from other members` };
  const [request] = await db
    .select()
    .from(networkAccessRequests)
    .where(
      and(
        eq(networkAccessRequests.datasetId, row.id),
        eq(networkAccessRequests.member, member.id),
        eq(networkAccessRequests.subject, visa.subject),
      ),
    )
    .orderBy(desc(networkAccessRequests.createdAt))
    .limit(1);
  return { dataset: { ...row, networkAccess }, request: request ?? null };
}

/** True when this site's DAC (not the matcher) approved the request. */
export function approvedByLocalDac(request: NetworkAccessRequestRow | null): boolean {
  return request?.status === 'approved' && request.decidedBy !== null;
}

/**
 * Whether the Beacon shows a foreign visa holder the dataset's protected counts: with `visa`
 * the other member's DAC decision is enough; with `visa_and_local_dac` this site's DAC must
 * have approved a request recorded here too. Null when it opens, else why not.
 */
export function beaconRefusal(grant: ForeignGrant, memberId: string): string | null {
  if (grant.dataset.networkAccess === 'visa') return null;
  if (approvedByLocalDac(grant.request)) return null;
  return `dataset ${grant.dataset.name} also needs this site's DAC to approve access for ${memberId}'s researcher (request it at this site first)`;
}
