import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/query-rows.js';
import { insertCohortFixture, prng, type CohortFixture } from '../../test/cohort-fixture.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { recordCohortChange } from '../cohort-changes/cohort-changes.js';
import { CohortEngine } from './cohort-engine.js';
import { datasets } from '../datasets/datasets.tables.js';
import { consentPreferences } from '../consent/consent.tables.js';
import { effectiveConsent } from '../consent/effective-consent.js';
import { preferenceBreakdown } from './preference-breakdown.js';
import { consentReasons } from './consent-reasons.js';
import { governingDiseaseChoices, strictest, type Ancestry } from '../consent/purpose-hierarchy.js';
import { collectionConsentOfRow } from '../datasets/collection-consent.js';
import {
  CONSENT_CHOICES,
  CONSENT_SCOPES,
  type ConsentPreferences,
} from '../consent/preferences.js';
import type { ResearchPurposeArgs } from '../consent/research-purpose-args.js';
import type { ConsentChoice } from '../consent/preferences.js';

/**
 * The parts of a purpose one participant's standing choices govern, by the nested rule of
 * purpose-hierarchy.ts, each with the words the consent reasons use and the strictest choice
 * governing it: per disease for a DS purpose naming diseases, else per scope.
 */
function governedParts(
  prefs: ConsentPreferences,
  purpose: ResearchPurposeArgs,
  ancestry: Ancestry,
  label: (id: string) => string,
): { words: string; choice: ConsentChoice }[] {
  const commercial = purpose.commercial
    ? [{ words: 'commercial use', choice: prefs.purposes.COMMERCIAL }]
    : [];
  if (purpose.primary === 'DS' && purpose.diseases && purpose.diseases.length > 0)
    return [
      ...purpose.diseases.map((d) => ({
        words: `research on ${label(d)}`,
        choice: strictest(governingDiseaseChoices(prefs, d, ancestry).map((g) => g.choice)),
      })),
      ...commercial,
    ];
  const words: Record<string, string> = {
    GRU: 'general research use',
    HMB: 'health and medical research',
    POA: 'population and ancestry research',
    METHODS: 'methods research',
  };
  return [
    { words: words[purpose.primary]!, choice: prefs.purposes[purpose.primary as 'HMB'] },
    ...commercial,
  ];
}

/** The fixture's MONDO terms: cancer, and colorectal and breast cancer below it. */
const NAMEABLE = ['MONDO:0004992', 'MONDO:0005575', 'MONDO:0007254'];

/**
 * The set-algebra split used by counts must say, for every participant, exactly what the one
 * effectiveConsent function says.
 */
describe(`consent breakdown agrees with effectiveConsent (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  let fx: CohortFixture;
  let engine: CohortEngine;
  const prefsOf = new Map<string, ConsentPreferences>();
  /** Participants whose preferences their passkey signed (the rest: recorded by the institution). */
  const signedIds = new Set<string>();
  beforeAll(async () => {
    db = await createTestDatabase();
    fx = await insertCohortFixture(db.db, 600, 21);
    // One dataset becomes health/medical only, so ancestry (POA) research is not allowed on it.
    // Collected under broad consent (GRU) and under re-contact for each use: those who never
    // state anything are governed by them, the most restrictive where they are in both.
    await db.db
      .update(datasets)
      .set({ duoPermission: 'HMB', collectionConsent: 'recontact_each_use' })
      .where(eq(datasets.id, fx.datasetIds[1]!));
    await db.db
      .update(datasets)
      .set({ collectionConsent: 'broad_gru' })
      .where(eq(datasets.id, fx.datasetIds[0]!));
    const rand = prng(5);
    const signing = prng(9);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const rows = fx.participantIds.flatMap((participantId, i) => {
      if (i % 5 === 0) return []; // some never state anything: the defaults apply
      // Nested purposes: some name diseases of the fixture's MONDO (cancer and two below it),
      // an ancestor and a descendant together included, so the most specific must decide.
      const diseases = NAMEABLE.filter(() => rand() < 0.3).map((id) => ({
        id,
        choice: pick(CONSENT_CHOICES),
      }));
      const p: ConsentPreferences = {
        purposes: Object.fromEntries(
          CONSENT_SCOPES.map((s) => [s, pick(CONSENT_CHOICES)]),
        ) as ConsentPreferences['purposes'],
        diseases,
        askEachTime: rand() < 0.2,
        discoverable: true,
        recontact: false,
      };
      prefsOf.set(participantId, p);
      const signedWith = signing() < 0.5 ? `passkey-${i}` : null;
      if (signedWith) signedIds.add(participantId);
      return [
        {
          participantId,
          version: 1,
          purposes: p.purposes,
          diseases: p.diseases,
          askEachTime: p.askEachTime,
          discoverable: true,
          recontact: false,
          signedWith,
        },
      ];
    });
    await db.db.transaction(async (tx) => {
      await tx.insert(consentPreferences).values(rows);
      await recordCohortChange(tx, 'participant', 'all');
    });
    engine = new CohortEngine(db.db);
  });
  afterAll(async () => {
    engine.dispose();
    await db.dispose();
  });

  const purposes: ResearchPurposeArgs[] = [
    { primary: 'HMB' },
    { primary: 'HMB', commercial: true },
    { primary: 'POA' },
    { primary: 'GRU', commercial: true },
    { primary: 'METHODS' },
    { primary: 'DS', diseases: ['MONDO:0005575'] },
    { primary: 'DS', diseases: ['MONDO:0004992'] },
    { primary: 'DS', diseases: ['MONDO:0005575', 'MONDO:0007254'], commercial: true },
  ];

  for (const purpose of purposes) {
    it(`${purpose.primary}${purpose.diseases ? ` ${purpose.diseases.join('+')}` : ''}${purpose.commercial ? ' (commercial)' : ''}`, async () => {
      const index = await engine.current();
      const members = index.members({});
      const rows = await queryRows<{ id: string; num: number; datasets: string[] }>(
        db.db,
        sql`select p.id, p.num, array_agg(distinct s.dataset_id::text) as datasets
            from participants p join samples s on s.participant_id = p.id
            where p.status <> 'withdrawn' and p.discoverable group by p.id, p.num`,
      );
      // GRU and POA research go beyond health/medical use: the HMB dataset does not allow them.
      const broader = purpose.primary === 'POA' || purpose.primary === 'GRU';
      const allowedDatasets = broader ? new Set([fx.datasetIds[0]!]) : new Set(fx.datasetIds);
      const split = await db.db.transaction((tx) =>
        preferenceBreakdown.split(tx, index, members, purpose),
      );
      try {
        const expected = { permit: 0, ask: 0, deny: 0 };
        const unstatedSeen = { permit: 0, ask: 0, deny: 0 };
        /** The board's consent reasons, recomputed participant by participant. */
        const expectedReasons = new Map<string, number>();
        const reason = (outcome: string, words: string) =>
          expectedReasons.set(
            `${outcome}|${words}`,
            (expectedReasons.get(`${outcome}|${words}`) ?? 0) + 1,
          );
        const graph = index.ontologyGraph();
        const ancestry: Ancestry = (c) => graph.ancestors(c);
        const label = (id: string) => graph.label(id) ?? id;
        const collectionOf = new Map(
          (await db.db.select().from(datasets)).map((d) => [d.id, collectionConsentOfRow(d)]),
        );
        for (const r of rows) {
          const from = r.datasets.filter((d) => allowedDatasets.has(d));
          const e = effectiveConsent({
            dataUseAllows: from.length > 0,
            preferences: prefsOf.get(r.id) ?? null,
            collection: from.map((d) => collectionOf.get(d)!),
            purpose: {
              primary: purpose.primary,
              commercial: purpose.commercial ?? false,
              diseases: purpose.diseases ?? [],
            },
            ancestry: (c) => index.ontologyGraph().ancestors(c),
          });
          if (!prefsOf.has(r.id)) unstatedSeen[e] += 1;
          const prefs = prefsOf.get(r.id);
          const parts = prefs ? governedParts(prefs, purpose, ancestry, label) : [];
          if (e === 'deny') {
            const denied = parts.filter((p) => p.choice === 'deny');
            for (const p of denied) reason('excluded', `Said no to ${p.words}`);
            if (denied.length === 0)
              reason('excluded', 'The data use of their datasets does not allow this purpose');
          }
          if (e === 'ask' && prefs) {
            for (const p of parts.filter((x) => x.choice === 'ask'))
              reason('ask', `Chose “ask me” for ${p.words}`);
            if (prefs.askEachTime) reason('ask', 'Asked to be asked about every study');
          }
          if (e === 'ask' && !prefs)
            reason(
              'ask',
              'Never chose; the consent given when their data was collected does not cover this',
            );
          expected[e] += 1;
          const inSet = e === 'permit' ? split.permitted : e === 'ask' ? split.ask : split.excluded;
          expect(inSet.has(r.num), `${r.id} should be ${e}`).toBe(true);
          if (e === 'permit')
            expect(split.permittedSigned.has(r.num), `${r.id} signed`).toBe(signedIds.has(r.id));
          else expect(split.permittedSigned.has(r.num)).toBe(false);
        }
        expect({
          permit: split.permitted.size,
          ask: split.ask.size,
          deny: split.excluded.size,
        }).toEqual(expected);
        // The reasons follow the same nested rule, as counts.
        const reasons = consentReasons(index, split, {
          primary: purpose.primary,
          commercial: purpose.commercial ?? false,
          diseases: purpose.diseases ?? [],
        });
        expect(new Map(reasons.map((x) => [`${x.outcome}|${x.reason}`, x.count]))).toEqual(
          expectedReasons,
        );
        expect(expected.permit).toBeGreaterThan(0);
        // Those who never stated anything: permitted by the broad collection consent, asked
        // where their data also comes from the re-contact dataset; commercial use is never
        // covered.
        if (purpose.commercial) expect(unstatedSeen.permit).toBe(0);
        else expect(unstatedSeen.permit).toBeGreaterThan(0);
        if (purpose.primary === 'HMB') expect(unstatedSeen.ask).toBeGreaterThan(0);
        expect(expected.deny).toBeGreaterThan(0);
        // Both kinds are among the permitted, so the split is tested both ways.
        expect(split.permittedSigned.size).toBeGreaterThan(0);
        expect(split.permittedSigned.size).toBeLessThan(split.permitted.size);
      } finally {
        members.dispose();
        split.permitted.dispose();
        split.permittedSigned.dispose();
        split.ask.dispose();
        split.excluded.dispose();
      }
    });
  }
});
