import { z } from 'zod';
import { purposeContradictions } from './purpose-contradictions.js';

/** The scopes a participant decides on: the DUO purposes, methods research, and commercial use. */
export const CONSENT_SCOPES = ['GRU', 'HMB', 'DS', 'POA', 'METHODS', 'COMMERCIAL'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

/** A standing answer for a scope. `ask` means: ask me about each study. */
export const CONSENT_CHOICES = ['permit', 'deny', 'ask'] as const;
export type ConsentChoice = (typeof CONSENT_CHOICES)[number];

/**
 * A standing answer for research on one disease and everything below it in MONDO: it refines the
 * DS answer (purpose-hierarchy.ts says how).
 */
export interface DiseaseChoice {
  /** A MONDO CURIE, e.g. MONDO:0005084 (mental disorder). */
  id: string;
  choice: ConsentChoice;
}

/** A participant's standing preferences. */
export interface ConsentPreferences {
  purposes: Record<ConsentScope, ConsentChoice>;
  /**
   * Per-disease refinements of DS, each naming a MONDO disease (none: DS alone decides). Stored
   * versions from before nested purposes have none.
   */
  diseases?: DiseaseChoice[];
  /** Ask me about every study, whatever the standing answers say (a deny still denies). */
  askEachTime: boolean;
  /** Count me in discovery queries (cohort counts, Beacon). */
  discoverable: boolean;
  /** The study site may contact me again (e.g. for new samples). */
  recontact: boolean;
}

/**
 * Before a participant states anything, nothing new is permitted: every purpose must be asked.
 * Counting in discovery stays on, as the original consent at the study site allows.
 */
export const DEFAULT_PREFERENCES: ConsentPreferences = {
  purposes: { GRU: 'ask', HMB: 'ask', DS: 'ask', POA: 'ask', METHODS: 'ask', COMMERCIAL: 'ask' },
  diseases: [],
  askEachTime: false,
  discoverable: true,
  recontact: false,
};

/** How many diseases one version may name: enough for anyone, small enough to sign and index. */
export const MAX_DISEASE_CHOICES = 50;

const choice = z.enum(CONSENT_CHOICES, { message: 'must be permit, deny or ask' });

const diseaseChoice = z.strictObject({
  id: z
    .string({ message: 'Name the disease this choice is about' })
    .trim()
    .min(1, 'Name the disease this choice is about')
    .regex(/^MONDO:\d{7}$/, 'must be a MONDO disease id such as MONDO:0005084'),
  choice,
});

/**
 * Validates a full set of preferences (every scope must be answered; `diseases` may be left out:
 * the service then keeps the current ones, so a client that predates them erases nothing)
 * and refuses contradictory ones (purpose-contradictions.ts) with a sentence a participant can
 * act on. Whether each named disease exists is checked by the service against the ontology.
 */
export const ConsentPreferencesSchema = z
  .strictObject({
    purposes: z.strictObject({
      GRU: choice,
      HMB: choice,
      DS: choice,
      POA: choice,
      METHODS: choice,
      COMMERCIAL: choice,
    }),
    diseases: z
      .array(diseaseChoice)
      .max(MAX_DISEASE_CHOICES, `name at most ${MAX_DISEASE_CHOICES} diseases`)
      .optional(),
    askEachTime: z.boolean(),
    discoverable: z.boolean(),
    recontact: z.boolean(),
  })
  .superRefine((p, ctx) => {
    for (const c of purposeContradictions(p))
      ctx.addIssue({ code: 'custom', path: c.path, message: c.message });
  });
