import { beforeAll, describe, expect, it } from 'vitest';
import { everyConsentCombination } from '../../test/consent-combinations.js';
import {
  collectionCovers,
  decideConsent,
  standingNoIsLater,
} from '../consent/effective-consent.js';
import { DEFAULT_PREFERENCES } from '../consent/preferences.js';
import { initRoaring, RoaringBitmap32 } from './roaring.js';
import { splitByPrecedence } from './precedence-sets.js';

/**
 * The set algebra used for whole cohorts must say what `decideConsent` says, for every
 * combination of inputs: each combination is one participant, the sets are built from their
 * facts the way the index holds them, and each participant must land where the function says.
 */
describe('splitByPrecedence agrees with decideConsent for every combination', () => {
  beforeAll(async () => {
    await initRoaring();
  });

  // The study-level inputs (the purpose's scopes, whether the study received data) are one per
  // split, so the combinations are split in groups that share them.
  const groups = new Map<string, ReturnType<typeof everyConsentCombination>>();
  for (const c of everyConsentCombination()) {
    const key = `${c.commercial ? 'commercial' : 'non-commercial'}, ${c.receivedData ? 'received data' : 'no data yet'}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(c);
  }

  it.each([...groups.entries()])('%s', (_key, combos) => {
    const scopes = combos[0]!.commercial ? (['HMB', 'COMMERCIAL'] as const) : (['HMB'] as const);
    const sets = {
      members: new RoaringBitmap32(),
      withdrawn: new RoaringBitmap32(),
      dataAllowed: new RoaringBitmap32(),
      askEachTime: new RoaringBitmap32(),
      studyYes: new RoaringBitmap32(),
      studyNo: new RoaringBitmap32(),
      laterStandingNo: new RoaringBitmap32(),
      stated: new RoaringBitmap32(),
      collectionPermits: new RoaringBitmap32(),
    };
    const touched = scopes.map(() => ({
      permit: new RoaringBitmap32(),
      deny: new RoaringBitmap32(),
    }));
    combos.forEach((c, num) => {
      const f = c.facts;
      sets.members.add(num);
      if (f.withdrawn) sets.withdrawn.add(num);
      if (f.dataUseAllows) sets.dataAllowed.add(num);
      // Those who never stated anything sit in the index with the defaults (ask, no ask-each-time).
      const standing = f.preferences ?? DEFAULT_PREFERENCES;
      if (f.preferences) sets.stated.add(num);
      if (collectionCovers(f.collection ?? [], f.purpose)) sets.collectionPermits.add(num);
      if (standing.askEachTime) sets.askEachTime.add(num);
      if (f.studyDecision?.decision === 'permit') sets.studyYes.add(num);
      if (f.studyDecision?.decision === 'deny') sets.studyNo.add(num);
      if (f.studyDecision && standingNoIsLater(f, f.studyDecision.at))
        sets.laterStandingNo.add(num);
      scopes.forEach((s, i) => {
        const choice = standing.purposes[s];
        if (choice === 'permit') touched[i]!.permit.add(num);
        if (choice === 'deny') touched[i]!.deny.add(num);
      });
    });
    const split = splitByPrecedence({
      ...sets,
      touched,
      studyReceivedData: combos[0]!.receivedData,
    });
    try {
      combos.forEach((c, num) => {
        const d = decideConsent(c.facts);
        const where = split.permitted.has(num)
          ? 'permit'
          : split.ask.has(num)
            ? 'ask'
            : split.excluded.has(num)
              ? 'deny'
              : 'nowhere';
        expect(where, c.name).toBe(d.consent);
        expect(split.awaitingAnswer.has(num), `${c.name} awaiting`).toBe(d.awaitingAnswer);
      });
      // The three parts partition the cohort.
      expect(split.permitted.size + split.ask.size + split.excluded.size).toBe(combos.length);
      expect(split.permitted.size).toBeGreaterThan(0);
      expect(split.ask.size).toBeGreaterThan(0);
      if (combos[0]!.receivedData) expect(split.awaitingAnswer.size).toBeGreaterThan(0);
    } finally {
      for (const b of [...Object.values(sets), ...touched.flatMap((t) => [t.permit, t.deny])])
        b.dispose();
      for (const b of Object.values(split)) b.dispose();
    }
  });
});
