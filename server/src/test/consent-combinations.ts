import type { CollectionConsent } from '../modules/datasets/collection-consent.js';
import type { ConsentFacts } from '../modules/consent/effective-consent.js';
import {
  CONSENT_CHOICES,
  DEFAULT_PREFERENCES,
  type ConsentChoice,
} from '../modules/consent/preferences.js';

/** One combination of the precedence rules' inputs, and the facts `decideConsent` reads. */
export interface ConsentCombination {
  name: string;
  withdrawn: boolean;
  dataUseAllows: boolean;
  commercial: boolean;
  /** Standing choice for the primary scope (HMB), and for COMMERCIAL when the purpose is. */
  primary: ConsentChoice;
  commercialChoice: ConsentChoice | null;
  askEachTime: boolean;
  study: 'none' | 'permit' | 'deny';
  /** The standing choices were made after the study decision (else before). */
  standingAfterStudy: boolean;
  receivedData: boolean;
  /**
   * Whose standing choices apply: the participant's own, or (they never stated any) the consent
   * given at collection, which covers the purpose in every dataset or not in one of them.
   */
  standingFrom: StandingFrom;
  facts: ConsentFacts;
}

/** Where standing choices come from in a combination. */
export type StandingFrom = 'own' | 'collection-covers' | 'collection-not-in-all';

const BROAD_GRU: CollectionConsent = { kind: 'broad_gru', duoCodes: [] };
const RECONTACT: CollectionConsent = { kind: 'recontact_each_use', duoCodes: [] };
const COLLECTION: Record<StandingFrom, CollectionConsent[]> = {
  own: [BROAD_GRU],
  'collection-covers': [BROAD_GRU, { kind: 'specific', duoCodes: ['HMB'] }],
  // Two datasets: one collected under broad consent, one under re-contact for each use.
  'collection-not-in-all': [BROAD_GRU, RECONTACT],
};

/** A tiny MONDO for the nested variant: disease > psychiatric disorder > schizophrenia. */
export const PSYCHIATRIC = 'MONDO:0002025';
export const SCHIZOPHRENIA = 'MONDO:0005090';
const TINY_MONDO: Record<string, string[]> = {
  [SCHIZOPHRENIA]: [SCHIZOPHRENIA, PSYCHIATRIC, 'MONDO:0000001'],
  [PSYCHIATRIC]: [PSYCHIATRIC, 'MONDO:0000001'],
};
const tinyAncestry = (c: string) => new Set(TINY_MONDO[c] ?? [c]);

const opposite = (c: ConsentChoice): ConsentChoice => (c === 'deny' ? 'permit' : 'deny');

const STUDY_AT = new Date('2026-03-01T10:00:00Z');
const BEFORE = new Date('2026-02-01T10:00:00Z');
const AFTER = new Date('2026-04-01T10:00:00Z');

/**
 * Every combination of: withdrawn, data use, a purpose with one or two scopes, each scope's
 * standing choice, "ask me each time", the study decision, whether the standing choices came
 * before or after it, whether the study already received data (1,152), and whether those
 * choices are the participant's own or, never stated, the collection consent of their datasets
 * (covering the purpose, or not in one of them): 3,456 in all.
 *
 * `nested`: the same combinations for a disease-specific study (DS, schizophrenia) where the
 * primary choice is the one the participant gave for a disease above it (psychiatric disorder),
 * while DS and HMB say something else: the nested rule must make the named disease decide, so
 * every row of the table must hold unchanged.
 */
export function everyConsentCombination({ nested = false } = {}): ConsentCombination[] {
  const out: ConsentCombination[] = [];
  const bools = [false, true];
  for (const withdrawn of bools)
    for (const dataUseAllows of bools)
      for (const commercial of bools)
        for (const primary of CONSENT_CHOICES)
          for (const commercialChoice of commercial ? CONSENT_CHOICES : [null])
            for (const askEachTime of bools)
              for (const study of ['none', 'permit', 'deny'] as const)
                for (const standingAfterStudy of bools)
                  for (const receivedData of bools)
                    for (const standingFrom of [
                      'own',
                      'collection-covers',
                      'collection-not-in-all',
                    ] as const) {
                      const since = standingAfterStudy ? AFTER : BEFORE;
                      const facts: ConsentFacts = {
                        withdrawn,
                        dataUseAllows,
                        preferences:
                          standingFrom !== 'own'
                            ? null
                            : {
                                ...DEFAULT_PREFERENCES,
                                purposes: {
                                  ...DEFAULT_PREFERENCES.purposes,
                                  HMB: nested ? opposite(primary) : primary,
                                  DS: opposite(primary),
                                  COMMERCIAL: commercialChoice ?? 'permit',
                                },
                                diseases: nested ? [{ id: PSYCHIATRIC, choice: primary }] : [],
                                askEachTime,
                              },
                        // A standing DS or HMB "no" dated later must not count in the nested
                        // variant: only the governing (named disease) choice's date does.
                        choiceSince: nested
                          ? {
                              [`DS:${PSYCHIATRIC}`]: since,
                              COMMERCIAL: since,
                              DS: AFTER,
                              HMB: AFTER,
                            }
                          : { HMB: since, COMMERCIAL: since },
                        purpose: nested
                          ? { primary: 'DS', diseases: [SCHIZOPHRENIA], commercial }
                          : { primary: 'HMB', commercial },
                        ...(nested ? { ancestry: tinyAncestry } : {}),
                        studyDecision: study === 'none' ? null : { decision: study, at: STUDY_AT },
                        studyReceivedData: receivedData,
                        collection: COLLECTION[standingFrom],
                      };
                      const name = [
                        ...(nested ? ['nested'] : []),
                        withdrawn ? 'withdrawn' : 'active',
                        dataUseAllows ? 'data-ok' : 'data-no',
                        `HMB=${primary}`,
                        commercialChoice ? `COMMERCIAL=${commercialChoice}` : 'non-commercial',
                        askEachTime ? 'ask-each-time' : 'no-ask-each-time',
                        `study=${study}`,
                        standingAfterStudy ? 'standing-later' : 'standing-earlier',
                        receivedData ? 'received-data' : 'no-data-yet',
                        `standing=${standingFrom}`,
                      ].join(' ');
                      out.push({
                        name,
                        withdrawn,
                        dataUseAllows,
                        commercial,
                        primary,
                        commercialChoice,
                        askEachTime,
                        study,
                        standingAfterStudy,
                        receivedData,
                        standingFrom,
                        facts,
                      });
                    }
  return out;
}
