import { z } from 'zod';

/** The scopes a participant decides on: the DUO purposes, methods research, and commercial use. */
export const CONSENT_SCOPES = ['GRU', 'HMB', 'DS', 'POA', 'METHODS', 'COMMERCIAL'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

/** A standing answer for a scope. `ask` means: ask me about each study. */
export const CONSENT_CHOICES = ['permit', 'deny', 'ask'] as const;
export type ConsentChoice = (typeof CONSENT_CHOICES)[number];

/** A participant's standing preferences. */
export interface ConsentPreferences {
  purposes: Record<ConsentScope, ConsentChoice>;
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
  askEachTime: false,
  discoverable: true,
  recontact: false,
};

const choice = z.enum(CONSENT_CHOICES, { message: 'must be permit, deny or ask' });

/** Validates a full set of preferences (every scope must be answered). */
export const ConsentPreferencesSchema = z.strictObject({
  purposes: z.strictObject({
    GRU: choice,
    HMB: choice,
    DS: choice,
    POA: choice,
    METHODS: choice,
    COMMERCIAL: choice,
  }),
  askEachTime: z.boolean(),
  discoverable: z.boolean(),
  recontact: z.boolean(),
});
