import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import {
  FIXTURE_PUBLIC_URL,
  approvedStudyWithGrant,
  mutate,
  openAccessFixture,
  type AccessFixture,
} from '../../test/access-fixture.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { createExportRow } from '../../test/export-fixture.js';
import { createTestApi, testConfig } from '../../test/in-process-api.js';
import { startNetworkSite, type NetworkSite } from '../../test/network-site.js';
import { SoftAuthenticator } from '../../test/soft-authenticator.js';
import { embeddedConnection } from '../../test/test-chain.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import type { Database, Tx } from '../../db/database.js';
import { createLogger } from '../../lib/logger.js';
import { createAppServices } from '../../app/app-services.js';
import { standardRoutes } from '../../http/standard-routes.js';
import { systemActor, type UserActor } from '../actors/actor.js';
import { OutboxRelay } from '../chain/outbox-relay.js';
import { chainSubject, subjectOf } from '../chain/subject-pseudonym.js';
import { participantChainKeys } from '../chain/chain.tables.js';
import { preferenceHistory, setConsentPreferences } from '../consent/consent.service.js';
import { dataExports, exportMembers } from '../grants/grants.tables.js';
import {
  createEnrolmentCode,
  createParticipant,
  enrolWithCode,
} from '../participants/participants.service.js';
import { participants } from '../participants/participants.tables.js';
import { addPasskey, passkeyRegistrationOptions } from '../passkeys/passkeys.service.js';
import { prepareSigningStatement, type ConsentSigning } from '../passkeys/signed-consent.js';
import { withdrawConsent } from '../participation/withdraw-participant.service.js';
import {
  acceptParticipantLink,
  offerParticipantLink,
  participantLinkAcceptChallenge,
  participantLinkOfferChallenge,
} from './participant-link.service.js';
import { LinkedDecisionsApplier } from './linked-decisions-applier.js';
import { participantSiteLinks } from './participant-links.tables.js';
import { participantLinking } from './participant-link-list.js';

const RP_A = { origin: 'http://localhost:5173', rp_id: 'localhost' };
const RP_B = { origin: 'http://127.0.0.1:5174', rp_id: '127.0.0.1' };
const quiet = createLogger('silent');

/**
 * Issue #14 item 2: one participant at two running sites. Site B is a full instance (the demo
 * data, a study, a grant, exports), site A another instance with its own database; both write
 * to one embedded chain, each with its own WebAuthn relying party. The participant links their
 * records with their passkey at each site, withdraws at A, and B's very next export and counts
 * leave them out. Attacks: a link signed by the wrong key, replays of a link.
 */
describe(`a participant linked at two sites (${TEST_DRIVER})`, () => {
  let b: AccessFixture;
  let a: NetworkSite;
  let disposeB: () => void;
  let relayA: OutboxRelay;
  let relayB: OutboxRelay;
  const deviceA = new SoftAuthenticator(RP_A);
  const deviceB = new SoftAuthenticator(RP_B);
  let atA: UserActor;
  let atB: UserActor;
  let idA: string;
  let idB: string;
  let grantId: string;
  let others: string[];
  let tokenB: string;
  let otherTokens: string[];

  const actorOf = (userId: string): UserActor => ({
    kind: 'user',
    userId,
    role: 'participant',
    sessionId: null,
  });
  const ledgerB = () => b.embedded.ledger;

  async function registerPasskey(
    db: Database,
    actor: UserActor,
    rp: typeof RP_A,
    device: SoftAuthenticator,
  ) {
    const options = await db.transaction((tx) => passkeyRegistrationOptions(tx, actor, rp));
    await db.transaction((tx) =>
      addPasskey(tx, actor, rp, { response: device.register(options.challenge), name: 'Phone' }),
    );
  }

  beforeAll(async () => {
    b = await openAccessFixture({ webauthn: RP_B });
    // Site B's services on the chain (the fixture's own run without one).
    const settings = testConfig({ publicUrl: FIXTURE_PUBLIC_URL, webauthn: RP_B });
    const services = createAppServices(b.db.db, settings, {
      chain: embeddedConnection(b.embedded),
    });
    disposeB = services.dispose;
    Object.assign(b, {
      services,
      cohorts: services.cohorts,
      gql: createTestApi(b.db.db, settings, services),
    });
    a = await startNetworkSite(b.embedded, 'site-a', { webauthn: RP_A });
    const admin = ledgerB();
    await admin.admitMember(await a.memberInput());
    await admin.admitMember({ ...(await a.memberInput()), id: 'site-b', writer: admin.sender });
    await a.ledger.setSiteWebauthn(RP_A);
    await admin.setSiteWebauthn(RP_B);
    relayA = new OutboxRelay(a.db.db, a.ledger, quiet);
    relayB = new OutboxRelay(b.db.db, admin, quiet);

    // At B: a study over three participants who all said yes, approved, with its grant.
    const approved = await approvedStudyWithGrant(b, {
      criteria: { datasets: [b.panelId], sex: 'female', ageMin: 40, ageMax: 70 },
      participants: 3,
    });
    const asked = approved.asked;
    grantId = approved.grantId;
    idB = asked[0]!.participantId;
    tokenB = asked[0]!.token;
    others = asked.slice(1).map((p) => p.participantId);
    otherTokens = asked.slice(1).map((p) => p.token);
    const [row] = await b.db.db
      .select({ userId: participants.userId })
      .from(participants)
      .where(eq(participants.id, idB));
    atB = actorOf(row!.userId!);
    await registerPasskey(b.db.db, atB, RP_B, deviceB);

    // At A: the same person, enrolled there too, with a passkey of site A.
    ({ actor: atA, id: idA } = await a.db.db.transaction(async (tx) => {
      const operator = systemActor('test');
      const p = await createParticipant(tx, operator, { sex: 'female', birthYear: 1975 });
      const { code } = await createEnrolmentCode(tx, operator, p.id);
      const { user } = await enrolWithCode(tx, {
        code,
        email: 'linked@site-a.local',
        password: 'participant password',
        displayName: 'L',
      });
      return { actor: actorOf(user.id), id: p.id };
    }));
    await registerPasskey(a.db.db, atA, RP_A, deviceA);
    await relayA.drain();
    await relayB.drain();
  }, 240_000);
  afterAll(async () => {
    await a?.close();
    disposeB?.();
    await b?.dispose();
  });

  const exportNow = async () => {
    const row = await createExportRow(b, grantId);
    const members = await b.db.db
      .select({ participantId: exportMembers.participantId })
      .from(exportMembers)
      .where(eq(exportMembers.exportId, row.id));
    return members.map((m) => m.participantId).sort();
  };
  const linkRows = (db: Database) => db.select().from(participantSiteLinks);

  /** Offers a link at A; answers its code. */
  async function offer(): Promise<string> {
    const { challenge, code } = await a.db.db.transaction((tx) =>
      participantLinkOfferChallenge(tx, atA, a.ledger, { toMember: 'site-b' }),
    );
    await a.db.db.transaction((tx) =>
      offerParticipantLink(tx, atA, RP_A, a.ledger, {
        toMember: 'site-b',
        code,
        response: deviceA.assert(challenge),
      }),
    );
    return code;
  }

  it('each site keeps its own pseudonym: distinct HMAC commitments under different secrets', async () => {
    const subjectA = await a.db.db.transaction((tx) => chainSubject(tx, idA));
    const subjectB = await b.db.db.transaction((tx) => chainSubject(tx, idB));
    expect(subjectA).not.toBe(subjectB);
    const [keyA] = await a.db.db
      .select()
      .from(participantChainKeys)
      .where(eq(participantChainKeys.participantId, idA));
    const [keyB] = await b.db.db
      .select()
      .from(participantChainKeys)
      .where(eq(participantChainKeys.participantId, idB));
    expect(keyA!.secret).not.toBe(keyB!.secret);
    expect(subjectOf(keyA!.secret, idA)).toBe(subjectA);
    // Nothing on chain joins them before the participant does.
    expect(await ledgerB().linkGroup(subjectA)).toBeNull();
    expect(await ledgerB().linkGroup(subjectB)).toBeNull();
  });

  it('refuses a link signed by the wrong key, at either end, and keeps nothing', async () => {
    const stranger = new SoftAuthenticator(RP_A);
    const { challenge, code } = await a.db.db.transaction((tx) =>
      participantLinkOfferChallenge(tx, atA, a.ledger, { toMember: 'site-b' }),
    );
    // A key that is not theirs (the server checks before the chain is asked).
    const forged: AuthenticationResponseJSON = {
      ...stranger.assert(challenge),
      id: deviceA.credentialId,
      rawId: deviceA.credentialId,
    };
    await expect(
      a.db.db.transaction((tx) =>
        offerParticipantLink(tx, atA, RP_A, a.ledger, {
          toMember: 'site-b',
          code,
          response: forged,
        }),
      ),
    ).rejects.toThrow(/passkey signature was not accepted/);
    expect(await ledgerB().linkOffer(code)).toBeNull();
    expect(await linkRows(a.db.db)).toEqual([]);

    // A valid offer; at B, the participant's key of site A cannot accept it.
    const valid = await offer();
    const accept = await b.db.db.transaction((tx) =>
      participantLinkAcceptChallenge(tx, atB, ledgerB(), { code: valid }),
    );
    await expect(
      b.db.db.transaction((tx) =>
        acceptParticipantLink(tx, atB, RP_B, ledgerB(), {
          code: valid,
          response: deviceA.assert(accept.challenge),
        }),
      ),
    ).rejects.toThrow(/not one of yours/);
    expect(await linkRows(b.db.db)).toEqual([]);
  });

  it('links with both passkeys (at B through GraphQL); a replayed link is refused by the site and by the chain', async () => {
    const code = await offer();
    const asked = await mutate(
      b,
      tokenB,
      'participantLinkAcceptChallenge(code: $code)',
      'challenge code member',
      { code },
    );
    expect(asked.__typename).toBe('MutationParticipantLinkAcceptChallengeSuccess');
    const { challenge, member } = asked.data as { challenge: string; member: string };
    expect(member).toBe('site-a');
    const response = deviceB.assert(challenge);
    const linked = await mutate(
      b,
      tokenB,
      'acceptParticipantLink(code: $code, signature: $signature)',
      'code member',
      { code, signature: JSON.stringify(response) },
    );
    expect(linked).toMatchObject({ data: { code, member: 'site-a' } });
    const subjectB = await b.db.db.transaction((tx) => chainSubject(tx, idB));
    const group = await ledgerB().linkGroup(subjectB);
    expect(group?.subjects.map((s) => s.member)).toEqual(['site-a', 'site-b']);
    expect(await auditEventsWithAction(b.db.db, 'participant.link.accept')).toHaveLength(1);

    // Replays: through the site, and straight to the chain with the very same assertion.
    const before = await linkRows(b.db.db);
    await expect(
      b.db.db.transaction((tx) =>
        acceptParticipantLink(tx, atB, RP_B, ledgerB(), { code, response }),
      ),
    ).rejects.toThrow(/already used/);
    const offerAgain = await ledgerB().linkOffer(code);
    expect(offerAgain?.accepted?.subject).toBe(subjectB);
    await expect(
      ledgerB().acceptLink(code, subjectB, {
        key_id: deviceB.credentialId,
        authenticator_data: response.response.authenticatorData,
        client_data_json: response.response.clientDataJSON,
        signature: response.response.signature,
      }),
    ).rejects.toThrow(/replayed/);
    expect(await linkRows(b.db.db)).toEqual(before);
  });

  it('a decision made at B and still in its outbox is not overwritten by an earlier-landed one from A', async () => {
    const choices = (commercial: 'permit' | 'deny') => ({
      purposes: {
        GRU: 'permit',
        HMB: 'permit',
        DS: 'permit',
        POA: 'permit',
        METHODS: 'permit',
        COMMERCIAL: commercial,
      },
      askEachTime: false,
      discoverable: true,
      recontact: true,
    });
    const commercialAtB = async () =>
      (await b.db.db.transaction((tx) => preferenceHistory(tx, idB)))[0]!.purposes.COMMERCIAL;
    const signedChoices = async (
      db: Database,
      actor: UserActor,
      rp: typeof RP_A,
      device: SoftAuthenticator,
      commercial: 'permit' | 'deny',
    ) => {
      const run = (tx: Tx, signing: ConsentSigning) =>
        setConsentPreferences(tx, actor, choices(commercial), signing);
      const statement = await prepareSigningStatement(db, run, rp);
      await db.transaction((tx) =>
        run(tx, {
          kind: 'signed',
          rp,
          time: statement.time,
          response: device.assert(statement.challenge!),
        }),
      );
    };
    await signedChoices(a.db.db, atA, RP_A, deviceA, 'permit');
    await signedChoices(b.db.db, atB, RP_B, deviceB, 'deny');
    await relayA.drain(); // A's permit is on chain; B's later deny still waits in B's outbox
    expect(await b.services.linkedDecisions!.applyLatest()).toBe(0);
    expect(await commercialAtB()).toBe('deny');
    await relayB.drain(); // now the chain's latest for the group is B's deny
    expect(await b.services.linkedDecisions!.applyLatest()).toBe(0);
    expect(await commercialAtB()).toBe('deny');
    expect(await auditEventsWithAction(b.db.db, 'consent.linked.apply')).toHaveLength(0);
  });

  it('a withdrawal signed at A is honoured by the very next download, count and export at B', async () => {
    expect(await exportNow()).toContain(idB);
    const [earlier] = await b.db.db
      .select({ id: dataExports.id })
      .from(dataExports)
      .where(eq(dataExports.grantId, grantId))
      .orderBy(desc(dataExports.createdAt))
      .limit(1);
    const exportsDoor = standardRoutes(b.db.db, { publicUrl: FIXTURE_PUBLIC_URL }, b.services).find(
      (r) => r.prefix === '/api/exports',
    )!;
    const download = () =>
      exportsDoor.handler(
        new Request(`${FIXTURE_PUBLIC_URL}/api/exports/${earlier!.id}/vcf.gz`, {
          headers: { authorization: `Bearer ${b.tokens.researcher}` },
        }),
        {},
      );
    expect((await download()).status).toBe(200);
    const criteria = { datasets: [b.panelId], sex: 'female' as const, ageMin: 40, ageMax: 70 };
    const [{ num }] = (await b.db.db
      .select({ num: participants.num })
      .from(participants)
      .where(eq(participants.id, idB))) as [{ num: number }];
    /** What B's counts read: the count, and whether the participant is in it. */
    const countAtB = async () => {
      const index = await b.services.cohorts.current();
      const members = index.members(criteria);
      try {
        return { count: index.count(criteria), counted: members.has(num) };
      } finally {
        members.dispose?.();
      }
    };
    const before = await countAtB();
    expect(before.counted).toBe(true);
    const run = (tx: Tx, signing: ConsentSigning) =>
      withdrawConsent(tx, atA, { confirm: true }, signing);
    const statement = await prepareSigningStatement(a.db.db, run, RP_A);
    await a.db.db.transaction((tx) =>
      run(tx, {
        kind: 'signed',
        rp: RP_A,
        time: statement.time,
        response: deviceA.assert(statement.challenge!),
      }),
    );
    await relayA.drain();

    // B has not been told anything; its next download, count and export read the chain first.
    expect((await download()).status).toBe(409);
    expect(await countAtB()).toEqual({ count: before.count - 1, counted: false });
    const exported = await exportNow();
    expect(exported).not.toContain(idB);
    expect(exported).toEqual([...others].sort());
    const [record] = await b.db.db
      .select({ status: participants.status })
      .from(participants)
      .where(eq(participants.id, idB));
    expect(record!.status).toBe('withdrawn');
    const [latest] = await b.db.db.transaction((tx) => preferenceHistory(tx, idB));
    expect(Object.values(latest!.purposes)).toEqual(Array(6).fill('deny'));
    expect(latest!.discoverable).toBe(false);
    expect(await auditEventsWithAction(b.db.db, 'consent.linked.apply')).toHaveLength(1);

    // Applying again changes nothing (the decisions are applied once).
    expect(await b.services.linkedDecisions!.applyLatest()).toBe(0);
  });

  it('reads the chain again only after a new block or a new link, not on every read', async () => {
    const reads: string[] = [];
    const ledger = ledgerB();
    const counted = new Set(['linkGroup', 'consentHistory', 'linkedConsent']);
    const counting = new Proxy(ledger, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (counted.has(String(prop))) reads.push(String(prop));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    await relayB.drain(); // B's own last version on chain: nothing of B's waits in its outbox
    const applier = new LinkedDecisionsApplier(b.db.db, counting);
    await applier.applyLatest();
    const first = reads.length;
    expect(first).toBeGreaterThan(0);
    await applier.applyLatest();
    await applier.applyLatest();
    expect(reads).toHaveLength(first);
    await ledger.setSiteWebauthn(RP_B); // any transaction: a new block
    await applier.applyLatest();
    expect(reads.length).toBeGreaterThan(first);
  });

  /** A crash after the function returned and before the commit: the transaction rolls back. */
  class Crash extends Error {}
  async function crashingAfter(db: Database, work: (tx: Tx) => Promise<unknown>): Promise<void> {
    await expect(
      db.transaction(async (tx) => {
        await work(tx);
        throw new Crash('the site stopped before its transaction committed');
      }),
    ).rejects.toThrow(Crash);
  }

  it('a chain write that fails leaves nothing here; a local write lost after the chain write is recovered by the next attempt', async () => {
    // A second person: enrolled at A (with a passkey there) and one of B's participants.
    const second = await a.db.db.transaction(async (tx) => {
      const operator = systemActor('test');
      const p = await createParticipant(tx, operator, { sex: 'male', birthYear: 1980 });
      const { code } = await createEnrolmentCode(tx, operator, p.id);
      const { user } = await enrolWithCode(tx, {
        code,
        email: 'second@site-a.local',
        password: 'participant password',
        displayName: 'S',
      });
      return { actor: actorOf(user.id), id: p.id };
    });
    const secondA = new SoftAuthenticator(RP_A);
    await registerPasskey(a.db.db, second.actor, RP_A, secondA);
    const [otherRow] = await b.db.db
      .select({ userId: participants.userId })
      .from(participants)
      .where(eq(participants.id, others[0]!));
    const secondAtB = actorOf(otherRow!.userId!);
    const secondB = new SoftAuthenticator(RP_B);
    await registerPasskey(b.db.db, secondAtB, RP_B, secondB);
    // Before the new passkey's registration leaves the outbox, a link signed by it is refused
    // here (the chain would not know the key yet), and nothing is written.
    const early = await a.db.db.transaction((tx) =>
      participantLinkOfferChallenge(tx, second.actor, a.ledger, { toMember: 'site-b' }),
    );
    await expect(
      a.db.db.transaction((tx) =>
        offerParticipantLink(tx, second.actor, RP_A, a.ledger, {
          toMember: 'site-b',
          code: early.code,
          response: secondA.assert(early.challenge),
        }),
      ),
    ).rejects.toThrow(/still being recorded on the network/);
    expect(await ledgerB().linkOffer(early.code)).toBeNull();
    await relayA.drain();
    await relayB.drain();
    const rowsOf = async (db: Database, participantId: string) =>
      (await linkRows(db)).filter((r) => r.participantId === participantId);
    const offerAuditsBefore = (await auditEventsWithAction(a.db.db, 'participant.link.offer'))
      .length;

    // The chain write fails (the node cannot be reached): nothing is kept here or on chain.
    const { challenge, code } = await a.db.db.transaction((tx) =>
      participantLinkOfferChallenge(tx, second.actor, a.ledger, { toMember: 'site-b' }),
    );
    const unreachable = Object.assign(Object.create(a.ledger) as typeof a.ledger, {
      offerLink: () => Promise.reject(new Error('connection refused')),
    });
    await expect(
      a.db.db.transaction((tx) =>
        offerParticipantLink(tx, second.actor, RP_A, unreachable, {
          toMember: 'site-b',
          code,
          response: secondA.assert(challenge),
        }),
      ),
    ).rejects.toThrow(/connection refused/);
    expect(await ledgerB().linkOffer(code)).toBeNull();
    expect(await rowsOf(a.db.db, second.id)).toEqual([]);
    expect(await auditEventsWithAction(a.db.db, 'participant.link.offer')).toHaveLength(
      offerAuditsBefore,
    );

    // The offer lands on chain, then the site stops before its own row commits.
    await crashingAfter(a.db.db, (tx) =>
      offerParticipantLink(tx, second.actor, RP_A, a.ledger, {
        toMember: 'site-b',
        code,
        response: secondA.assert(challenge),
      }),
    );
    const landed = await ledgerB().linkOffer(code);
    expect(landed?.from_member).toBe('site-a');
    expect(await rowsOf(a.db.db, second.id)).toEqual([]);
    // The next attempt (signed again) records it without writing to the chain again.
    await a.db.db.transaction((tx) =>
      offerParticipantLink(tx, second.actor, RP_A, a.ledger, {
        toMember: 'site-b',
        code,
        response: secondA.assert(challenge),
      }),
    );
    expect(await ledgerB().linkOffer(code)).toEqual(landed);
    expect((await rowsOf(a.db.db, second.id)).map((r) => [r.nonce, r.role])).toEqual([
      [code, 'offer'],
    ]);
    const offerAudits = await auditEventsWithAction(a.db.db, 'participant.link.offer');
    expect(JSON.parse(String(offerAudits.at(-1)?.payload))).toEqual({
      member: 'site-b',
      recovered: true,
    });
    // Once recorded, the same code again is a replay.
    await expect(
      a.db.db.transaction((tx) =>
        offerParticipantLink(tx, second.actor, RP_A, a.ledger, {
          toMember: 'site-b',
          code,
          response: secondA.assert(challenge),
        }),
      ),
    ).rejects.toThrow(/already used/);
    const pending = await a.db.db.transaction((tx) =>
      participantLinking(tx, second.actor, a.ledger),
    );
    expect(pending.site).toEqual({ id: 'site-a', name: expect.any(String) as string });
    expect(pending.sites.map((s) => s.id)).toEqual(['site-b']);
    expect(pending.links).toMatchObject([
      { code, role: 'offer', status: 'pending', site: { id: 'site-b' } },
    ]);

    // At B: the acceptance lands on chain, the site stops before its row commits; the next
    // attempt finds it accepted by this participant's own pseudonym and records it.
    const accept = await b.db.db.transaction((tx) =>
      participantLinkAcceptChallenge(tx, secondAtB, ledgerB(), { code }),
    );
    expect(accept.member).toBe('site-a');
    await crashingAfter(b.db.db, (tx) =>
      acceptParticipantLink(tx, secondAtB, RP_B, ledgerB(), {
        code,
        response: secondB.assert(accept.challenge),
      }),
    );
    const accepted = await ledgerB().linkOffer(code);
    expect(accepted?.accepted).toBeTruthy();
    expect(await rowsOf(b.db.db, others[0]!)).toEqual([]);
    // Someone else at B cannot take the accepted code over.
    await expect(
      b.db.db.transaction((tx) => participantLinkAcceptChallenge(tx, atB, ledgerB(), { code })),
    ).rejects.toThrow(/already used/);
    const again = await b.db.db.transaction((tx) =>
      participantLinkAcceptChallenge(tx, secondAtB, ledgerB(), { code }),
    );
    await b.db.db.transaction((tx) =>
      acceptParticipantLink(tx, secondAtB, RP_B, ledgerB(), {
        code,
        response: secondB.assert(again.challenge),
      }),
    );
    expect(await ledgerB().linkOffer(code)).toEqual(accepted);
    expect((await rowsOf(b.db.db, others[0]!)).map((r) => [r.nonce, r.role])).toEqual([
      [code, 'accept'],
    ]);
    const acceptAudits = await auditEventsWithAction(b.db.db, 'participant.link.accept');
    expect(JSON.parse(String(acceptAudits.at(-1)?.payload))).toEqual({
      member: 'site-a',
      recovered: true,
    });

    // Each side now lists the link as made, and only to its own participant.
    const atASide = await a.db.db.transaction((tx) =>
      participantLinking(tx, second.actor, a.ledger),
    );
    expect(atASide.links).toMatchObject([
      { code: null, role: 'offer', status: 'linked', site: { id: 'site-b' } },
    ]);
    // Through GraphQL: a participant sees their own links only; staff are refused.
    const query =
      '{ participantLinking { site { id } sites { id name } links { role status code site { id name } } } }';
    type Linking = { participantLinking: { links: { role: string; status: string }[] } };
    const own = await b.gql<Linking>(query, {}, { token: otherTokens[0]! });
    expect(own.errors).toBeUndefined();
    expect(own.data!.participantLinking.links).toEqual([
      expect.objectContaining({ role: 'ACCEPT', status: 'LINKED', code: null }),
    ]);
    const stranger = await b.gql<Linking>(query, {}, { token: otherTokens[1]! });
    expect(stranger.data!.participantLinking.links).toEqual([]);
    const staff = await b.gql<Linking>(query, {}, { token: b.tokens.researcher });
    expect(staff.errors?.[0]?.message).toBe('You are not allowed to do this');
  });
});
