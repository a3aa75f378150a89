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
  facts: ConsentFacts;
}

const STUDY_AT = new Date('2026-03-01T10:00:00Z');
const BEFORE = new Date('2026-02-01T10:00:00Z');
const AFTER = new Date('2026-04-01T10:00:00Z');

/**
 * Every combination of: withdrawn, data use, a purpose with one or two scopes, each scope's
 * standing choice, "ask me each time", the study decision, whether the standing choices came
 * before or after it, and whether the study already received data (1,152 in all).
 */
export function everyConsentCombination(): ConsentCombination[] {
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
                  for (const receivedData of bools) {
                    const since = standingAfterStudy ? AFTER : BEFORE;
                    const facts: ConsentFacts = {
                      withdrawn,
                      dataUseAllows,
                      preferences: {
                        ...DEFAULT_PREFERENCES,
                        purposes: {
                          ...DEFAULT_PREFERENCES.purposes,
                          HMB: primary,
                          COMMERCIAL: commercialChoice ?? 'permit',
                        },
                        askEachTime,
                      },
                      choiceSince: { HMB: since, COMMERCIAL: since },
                      purpose: { primary: 'HMB', commercial },
                      studyDecision: study === 'none' ? null : { decision: study, at: STUDY_AT },
                      studyReceivedData: receivedData,
                    };
                    const name = [
                      withdrawn ? 'withdrawn' : 'active',
                      dataUseAllows ? 'data-ok' : 'data-no',
                      `HMB=${primary}`,
                      commercialChoice ? `COMMERCIAL=${commercialChoice}` : 'non-commercial',
                      askEachTime ? 'ask-each-time' : 'no-ask-each-time',
                      `study=${study}`,
                      standingAfterStudy ? 'standing-later' : 'standing-earlier',
                      receivedData ? 'received-data' : 'no-data-yet',
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
                      facts,
                    });
                  }
  return out;
}
