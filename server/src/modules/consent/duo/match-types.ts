import type { DuoModifier, DuoPermission } from '../../ontology/duo.js';

/** Three-valued outcome, as in DUOS: ABSTAIN hands the request to a human reviewer. */
export type MatchDecision = 'APPROVE' | 'DENY' | 'ABSTAIN';

/** The primary categories a research purpose can declare. */
export const PURPOSE_CATEGORIES = ['GRU', 'HMB', 'DS', 'POA', 'METHODS'] as const;

/** A research purpose's primary category (DUO permission vocabulary plus methods research). */
export type PurposeCategory = (typeof PURPOSE_CATEGORIES)[number];

/** The sensitive research topics of DUOS; each one sends a request to human review. */
export const SENSITIVE_TOPICS = [
  'CONTROLS',
  'POPULATION',
  'GENDER',
  'PEDIATRIC',
  'VULNERABLE_POPULATIONS',
  'ILLEGAL_BEHAVIOR',
  'SEXUAL_DISEASES',
  'PSYCHOLOGICAL_TRAITS',
  'NOT_HEALTH',
  'STIGMATIZED_DISEASES',
  'OTHER',
] as const;

/** A sensitive research topic a purpose declares. */
export type SensitiveTopic = (typeof SENSITIVE_TOPICS)[number];

/** What a researcher intends to do with the data, as the matcher sees it. */
export interface ResearchPurpose {
  primary: PurposeCategory;
  /** MONDO CURIEs; required for DS, optional focus for METHODS, ignored otherwise. */
  diseases: readonly string[];
  commercial: boolean;
  sensitive: readonly SensitiveTopic[];
  /** Free-text description of an OTHER topic; never copied into reasons. */
  otherText?: string | undefined;
  /** Whether the study includes genotype data; absent means yes, the common case. */
  genetic?: boolean | undefined;
  forProfitOrganisation?: boolean | undefined;
  institution?: string | undefined;
  userIds?: readonly string[] | undefined;
  projectId?: string | undefined;
  /** Where the data will be processed: a GS region code (see regions.ts) or its name. */
  geography?: string | undefined;
  /** ISO date (YYYY-MM-DD) of the first planned publication of results, checked against MOR. */
  plannedPublication?: string | undefined;
}

/** Values some modifiers carry; absent values leave the choice to the data access committee. */
export interface DataUseParams {
  /** MOR: ISO date (YYYY-MM-DD) before which results may not be published. */
  moratoriumUntil?: string | undefined;
  /** TS: how many months a grant may last. */
  timeLimitMonths?: number | undefined;
  /** GS: the region codes (regions.ts) the data must stay within. */
  regions?: readonly string[] | undefined;
  /** IS: institutions allowed to use the data. */
  institutions?: readonly string[] | undefined;
  /** US: user ids allowed to use the data. */
  users?: readonly string[] | undefined;
  /** PS: project ids allowed to use the data. */
  projects?: readonly string[] | undefined;
}

/**
 * A dataset's data-use terms as the matcher reads them. The base shape is the datasets module's
 * `DataUse`, so a validated `DataUse` can be passed as is; `params` adds modifier values.
 */
export interface DataUseTerms {
  permission: DuoPermission;
  diseases: readonly string[];
  modifiers: readonly DuoModifier[];
  params?: DataUseParams | undefined;
}

/** How an obligation is discharged: evidence up front, a standing condition, a binding, etc. */
export type ObligationKind =
  'evidence' | 'condition' | 'binding' | 'time_limit' | 'publication' | 'return';

/** The document a researcher must upload before access is granted. */
export type EvidenceKind = 'irb_letter' | 'collaboration_agreement';

/** A duty a grant carries because of a dataset's modifier. */
export interface Obligation {
  code: DuoModifier;
  kind: ObligationKind;
  description: string;
  evidence?: EvidenceKind;
  /** MOR: ISO date before which nothing may be published. */
  until?: string;
  /** TS: grant duration in months. */
  months?: number;
  /** US/PS/IS/GS: the users, projects, institutions or region the grant is bound to. */
  allowed?: readonly string[];
}

/** How one modifier stands against a purpose: met, not met, still to check, or an obligation only. */
export type ModifierCheckStatus = 'met' | 'not_met' | 'to_check' | 'obligation';

/** One modifier's finding in plain words, with the duty a grant would carry because of it. */
export interface ModifierCheck {
  code: DuoModifier;
  status: ModifierCheckStatus;
  /** What is met or not, e.g. "All 2 named users are approved (US)". */
  text: string;
  /** The obligation's description, when the modifier obliges anything. */
  obligation?: string;
}

/** The verdict on one purpose against one dataset's data use. */
export interface MatchResult {
  decision: MatchDecision;
  /** Never empty; the reasons behind the decision, most severe first, without duplicates. */
  reasons: string[];
  /** What a grant would carry; on DENY there is no grant, but the list still describes the terms. */
  obligations: Obligation[];
  /** From TS: the grant must expire after this many months. */
  grantExpiryMonths?: number;
  /** One entry per modifier of the dataset, in DUO order: what is met, what is not, what it obliges. */
  checks: ModifierCheck[];
}
