import { scopesCovered, type CollectionConsent } from '../datasets/collection-consent.js';
import type { ResearchPurpose } from './duo/match-types.js';
import type {
  ConsentChoice,
  ConsentPreferences,
  ConsentScope,
  DiseaseChoice,
} from './preferences.js';
import {
  diseaseKey,
  governingChoices,
  SELF_ONLY,
  strictest,
  type Ancestry,
} from './purpose-hierarchy.js';

/** What a participant's consent says about one study purpose. */
export type EffectiveConsent = 'permit' | 'deny' | 'ask';

/**
 * Which precedence rule decided (docs/consent-precedence.md numbers them the same way). Kept in
 * the result so tests, audits and the portal can say why, not only what.
 */
export type PrecedenceRule =
  | 'withdrawn'
  | 'data-use'
  | 'study-no'
  | 'later-standing-no'
  | 'later-standing-no-awaiting-answer'
  | 'study-yes'
  | 'standing-no'
  | 'standing-yes'
  | 'standing-ask'
  | 'collection-yes'
  | 'collection-ask';

/** The decision and the rule behind it. */
export interface ConsentDecision {
  consent: EffectiveConsent;
  rule: PrecedenceRule;
  /**
   * True when the study's earlier "yes" stands only because the study already received data and
   * the participant has not yet said whether their later standing "no" applies to it: they must
   * be asked (studies/later-no-questions.ts), and their answer then decides.
   */
  awaitingAnswer: boolean;
}

/** A participant's decision on one study and when they made it. */
export interface StudyDecisionFact {
  decision: 'permit' | 'deny';
  at: Date;
}

/** Everything the precedence rules read about one participant and one study or purpose. */
export interface ConsentFacts {
  /** The participant withdrew from the programme. */
  withdrawn?: boolean;
  /** A dataset holding their data allows the purpose (its DUO terms). */
  dataUseAllows: boolean;
  /** Their own standing choices; null: they never stated any (rule 7 then applies). */
  preferences: ConsentPreferences | null;
  /**
   * The consent given at collection of each dataset the purpose would take their data from (the
   * datasets holding their data whose data use allows it). Read only when they never stated
   * their own choices; none means nothing was agreed, so they are asked.
   */
  collection?: readonly CollectionConsent[];
  /**
   * When each current standing choice was made (the first version of the unbroken run of that
   * choice), keyed by scope or by named disease (`DS:MONDO:…`, purpose-hierarchy.ts). A choice
   * without a date counts as made before any study decision.
   */
  choiceSince?: Partial<Record<string, Date>>;
  /** The purpose; a DS purpose's diseases are matched against the named ones (nested rule). */
  purpose: Pick<ResearchPurpose, 'primary' | 'commercial'> & { diseases?: readonly string[] };
  /** MONDO's is-a ancestry for the nested rule (absent: a named disease covers only itself). */
  ancestry?: Ancestry;
  /** The participant's latest decision on this study, if any (none for a bare purpose). */
  studyDecision?: StudyDecisionFact | null;
  /** The study already received data: a grant was issued to it. */
  studyReceivedData?: boolean;
}

/** The scopes a purpose touches: its primary category, and commercial use when it is commercial. */
export function scopesOf(purpose: Pick<ResearchPurpose, 'primary' | 'commercial'>): ConsentScope[] {
  return purpose.commercial ? [purpose.primary, 'COMMERCIAL'] : [purpose.primary];
}

/**
 * True when a standing choice governing the purpose (nested rule: the scope, or for a DS purpose
 * the most specific named disease) is a "no" given after the study decision (strictly later:
 * the same instant is not later).
 */
export function standingNoIsLater(facts: ConsentFacts, decidedAt: Date): boolean {
  const own = facts.preferences;
  if (!own) return false;
  return governingChoices(own, facts.purpose, facts.ancestry ?? SELF_ONLY).some((g) => {
    if (g.choice !== 'deny') return false;
    const since = facts.choiceSince?.[g.key];
    return since !== undefined && since.getTime() > decidedAt.getTime();
  });
}

const decided = (
  consent: EffectiveConsent,
  rule: PrecedenceRule,
  awaitingAnswer = false,
): ConsentDecision => ({ consent, rule, awaitingAnswer });

/**
 * THE precedence rules, in order (docs/consent-precedence.md; the first that applies decides):
 * 1. Withdrawal beats everything.
 * 2. The dataset's data use must allow the purpose.
 * 3. A "no" to this study stands.
 * 4. A "yes" to this study, followed by a standing "no" for a scope the study touches:
 *    - the study has not received data: the later "no" wins;
 *    - it has: the earlier "yes" stands for this study only, until the participant answers
 *      whether the "no" applies to it too (their answer is a new, later study decision).
 * 5. Otherwise a "yes" to this study stands: it beats a standing "ask" and "ask me each time",
 *    and an earlier standing "no" (the more recent, more specific choice).
 * 6. No study decision: their own standing preferences, read through the nested rule
 *    (purpose-hierarchy.ts: for a DS purpose, the most specific disease they named on each of
 *    its diseases' is-a ancestry, else DS; commercial use on top). A "no" on any governing
 *    choice denies; "allow" on all of them permits unless "ask me about every study" is on;
 *    anything else asks.
 * 7. No study decision and they never stated their own choices: the consent they gave at
 *    collection. Every dataset the data would come from must have collected it under a consent
 *    that covers every touched scope (the data is governed by the consent it was collected
 *    under, so the most restrictive of them decides); otherwise they are asked.
 * Used for counts, consent requests, grants and exports; cohorts/precedence-sets.ts is the same
 * rules as set algebra, and a test checks the two against each other for every combination.
 */
export function decideConsent(facts: ConsentFacts): ConsentDecision {
  if (facts.withdrawn) return decided('deny', 'withdrawn');
  if (!facts.dataUseAllows) return decided('deny', 'data-use');
  const study = facts.studyDecision;
  if (study?.decision === 'deny') return decided('deny', 'study-no');
  if (study?.decision === 'permit') {
    if (!standingNoIsLater(facts, study.at)) return decided('permit', 'study-yes');
    return facts.studyReceivedData
      ? decided('permit', 'later-standing-no-awaiting-answer', true)
      : decided('deny', 'later-standing-no');
  }
  const own = facts.preferences;
  if (!own)
    return collectionCovers(facts.collection ?? [], facts.purpose)
      ? decided('permit', 'collection-yes')
      : decided('ask', 'collection-ask');
  const standing = strictest(
    governingChoices(own, facts.purpose, facts.ancestry ?? SELF_ONLY).map((g) => g.choice),
  );
  if (standing === 'deny') return decided('deny', 'standing-no');
  if (standing === 'permit' && !own.askEachTime) return decided('permit', 'standing-yes');
  return decided('ask', 'standing-ask');
}

/**
 * Rule 7's test: at least one collection consent, and every one of them covers every scope the
 * purpose touches (commercial use is covered by none).
 */
export function collectionCovers(
  collection: readonly CollectionConsent[],
  purpose: Pick<ResearchPurpose, 'primary' | 'commercial'>,
): boolean {
  if (collection.length === 0) return false;
  return collection.every((c) => {
    const covered = scopesCovered(c);
    return scopesOf(purpose).every((s) => covered.has(s));
  });
}

/** The effective consent alone (see `decideConsent` for the rules and the reason). */
export function effectiveConsent(facts: ConsentFacts): EffectiveConsent {
  return decideConsent(facts).consent;
}

/** A version's choices by `choiceSince` key: each scope, and each named disease. */
function choicesByKey(v: { purposes: unknown; diseases?: unknown }): Map<string, ConsentChoice> {
  const keyed = new Map(
    Object.entries(v.purposes as Record<ConsentScope, ConsentChoice>) as [string, ConsentChoice][],
  );
  for (const d of (v.diseases as DiseaseChoice[] | null | undefined) ?? [])
    keyed.set(diseaseKey(d.id), d.choice);
  return keyed;
}

/**
 * When each current choice (scope or named disease) was made, from a participant's preference
 * versions (any order): the creation time of the first version of the unbroken run that ends at
 * the latest.
 */
export function choiceSinceOf(
  versions: readonly {
    version: number;
    purposes: unknown;
    diseases?: unknown;
    createdAt: Date;
  }[],
): Partial<Record<string, Date>> {
  const ordered = [...versions]
    .sort((a, b) => b.version - a.version)
    .map((v) => ({ choices: choicesByKey(v), createdAt: v.createdAt }));
  const latest = ordered[0]?.choices;
  if (!latest) return {};
  const since: Partial<Record<string, Date>> = {};
  for (const [key, choice] of latest) {
    for (const v of ordered) {
      if (v.choices.get(key) !== choice) break;
      since[key] = v.createdAt;
    }
  }
  return since;
}
