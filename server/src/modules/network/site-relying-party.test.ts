import type { EmbeddedLedger } from '@consentome/contracts-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger } from '../../test/test-chain.js';
import { keepSiteRelyingParty } from './site-relying-party.js';

describe('keeping a member site’s relying party on chain', () => {
  let chain: EmbeddedLedger;
  const rp = { origin: 'https://north.example.org', rp_id: 'north.example.org' };
  beforeAll(async () => {
    chain = await openTestLedger();
  });
  afterAll(async () => {
    await chain?.chain.close();
  });

  it('writes nothing for a site that is no member, sets it once it is one, then only on change', async () => {
    expect(await keepSiteRelyingParty(chain.ledger, rp)).toBe(false);
    expect(await chain.ledger.siteWebauthn(chain.ledger.sender)).toBeNull();
    await chain.ledger.admitMember({
      id: 'north',
      name: 'North',
      writer: chain.ledger.sender,
      passport_jwks_url: 'https://north.example.org/jwks.json',
      passport_key_ids: ['k1'],
      beacon_url: 'https://north.example.org/beacon',
    });
    expect(await keepSiteRelyingParty(chain.ledger, rp)).toBe(true);
    expect(await chain.ledger.siteWebauthn(chain.ledger.sender)).toEqual(rp);
    expect(await keepSiteRelyingParty(chain.ledger, rp)).toBe(false);
    const moved = { origin: 'https://consent.north.example.org', rp_id: 'north.example.org' };
    expect(await keepSiteRelyingParty(chain.ledger, moved)).toBe(true);
    expect(await chain.ledger.siteWebauthn(chain.ledger.sender)).toEqual(moved);
  });
});
