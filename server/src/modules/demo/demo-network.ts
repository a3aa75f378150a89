import { namedAccountAddress, SigningConsentLedger } from '@consentome/contracts-client';
import type { Database } from '../../db/database.js';

import type { ChainConnection } from '../chain/chain-connection.js';
import { jwksUrl } from '../grants/passport/jwks-url.js';
import { signingKey } from '../grants/passport/signing-key.js';

/** Where the Beacon answers (beacon-route.ts; a route file is presentation, not for services). */
const BEACON_PATH = '/api/beacon';

/** The demo's own institution on the embedded chain. */
export const DEMO_SELF_MEMBER_ID = 'demo-hospital';

/**
 * Gives the demo a small network on the embedded chain, so the network page has something to
 * show: this server as a founding member (its real Passport key and Beacon address), a partner
 * clinic, the bootstrap closed, and the partner's proposal to admit a third institution, waiting
 * for this institution's vote. The partners are addresses on the embedded chain that sign for
 * themselves (it needs no keys). Nothing happens on a real chain, on a chain that already has
 * members, or when this server is not the contract's admin. Answers whether it seeded.
 */
export async function seedDemoNetwork(
  db: Database,
  chain: ChainConnection,
  publicUrl: string,
): Promise<boolean> {
  if (chain.kind !== 'embedded') return false;
  const ledger = chain.ledger;
  const [members, config] = await Promise.all([
    ledger.members({ includeRemoved: true }),
    ledger.config(),
  ]);
  if (members.length > 0 || config.admin !== ledger.sender) return false;
  const prefix = ledger.sender.slice(0, ledger.sender.lastIndexOf('1'));
  const partner = (id: string) =>
    new SigningConsentLedger(
      chain.backend,
      chain.contractAddress,
      namedAccountAddress(prefix, `demo-${id}`),
    );
  const northside = partner('northside-clinic');
  const site = (id: string, name: string) => ({
    id,
    name,
    passport_jwks_url: `https://${id}.example.org/.well-known/jwks.json`,
    passport_key_ids: [`${id}-2026`],
    beacon_url: `https://${id}.example.org${BEACON_PATH}`,
  });
  await ledger.admitMember({
    id: DEMO_SELF_MEMBER_ID,
    name: 'Consentome Demo Hospital',
    writer: ledger.sender,
    passport_jwks_url: jwksUrl(publicUrl),
    passport_key_ids: [(await signingKey(db)).kid],
    beacon_url: `${publicUrl}${BEACON_PATH}`,
  });
  await ledger.admitMember({
    ...site('northside-clinic', 'Northside Clinic'),
    writer: northside.sender,
  });
  await ledger.closeBootstrap();
  await northside.proposeMembership({
    join: {
      member: {
        ...site('riverside-institute', 'Riverside Research Institute'),
        writer: partner('riverside-institute').sender,
      },
    },
  });
  return true;
}
