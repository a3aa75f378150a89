/** Shared words for studies, reviews and grants (researcher, board and participant pages). */

import { PURPOSES as CONSENT_PURPOSES } from './consent';
import type { EnumOf } from './graphql/graphql';
import { intlLocale } from './locale-format';
import { PURPOSES as RESEARCH_PURPOSES } from './cohort-form';

/** How a badge is coloured: a state to act on, a good end, a bad end, or neutral. */
export type Tone = 'neutral' | 'active' | 'ok' | 'bad';

const STUDY_STATUS_BY_CODE: Record<
  EnumOf<'StudyStatus'>,
  { label: string; tone: Tone; plain: string }
> = {
  DRAFT: { label: 'Draft', tone: 'neutral', plain: 'Not yet sent to the ethics board.' },
  INSTITUTION_REVIEW: {
    label: 'With your institution',
    tone: 'active',
    plain: 'Waiting for your institution’s signing official, before the ethics board.',
  },
  SUBMITTED: { label: 'Submitted', tone: 'active', plain: 'Waiting for the ethics board.' },
  UNDER_REVIEW: { label: 'Under review', tone: 'active', plain: 'The board has started voting.' },
  APPROVED: { label: 'Approved', tone: 'ok', plain: 'Approved; a time-limited grant is active.' },
  REJECTED: { label: 'Rejected', tone: 'bad', plain: 'The ethics board said no.' },
  WITHDRAWN: { label: 'Withdrawn', tone: 'neutral', plain: 'The researcher withdrew it.' },
  EXPIRED: { label: 'Expired', tone: 'neutral', plain: 'The grant ran out.' },
  REVOKED: { label: 'Revoked', tone: 'bad', plain: 'The ethics board ended the grant.' },
  CLOSED_OUT: { label: 'Closed out', tone: 'neutral', plain: 'The researcher finished.' },
};
/** Looked up by the API's code; a code the API adds fails the typecheck until worded here. */
export const STUDY_STATUS: Partial<Record<string, { label: string; tone: Tone; plain: string }>> =
  STUDY_STATUS_BY_CODE;

const GRANT_STATUS_BY_CODE: Record<EnumOf<'GrantStatus'>, { label: string; tone: Tone }> = {
  ACTIVE: { label: 'Active', tone: 'ok' },
  EXPIRED: { label: 'Expired', tone: 'neutral' },
  REVOKED: { label: 'Revoked', tone: 'bad' },
  CLOSED_OUT: { label: 'Closed out', tone: 'neutral' },
};
/** Looked up by the API's code; a code the API adds fails the typecheck until worded here. */
export const GRANT_STATUS: Partial<Record<string, { label: string; tone: Tone }>> =
  GRANT_STATUS_BY_CODE;

/** The DUO match outcome of a purpose against a dataset's data use. */
const MATCH_DECISION_BY_CODE: Record<
  EnumOf<'MatchDecision'>,
  { label: string; tone: Tone; plain: string }
> = {
  APPROVE: { label: 'DUO: fits', tone: 'ok', plain: 'The data use allows this purpose.' },
  DENY: {
    label: 'DUO: does not fit',
    tone: 'bad',
    plain: 'The data use rules this purpose out.',
  },
  ABSTAIN: {
    label: 'DUO: needs review',
    tone: 'active',
    plain: 'The rules cannot decide; the board judges.',
  },
};
/** Looked up by the API's code; a code the API adds fails the typecheck until worded here. */
export const MATCH_DECISION: Partial<Record<string, { label: string; tone: Tone; plain: string }>> =
  MATCH_DECISION_BY_CODE;

export const SENSITIVE_TOPICS: readonly { code: EnumOf<'SensitiveTopic'>; label: string }[] = [
  { code: 'CONTROLS', label: 'Used as controls for other studies' },
  { code: 'POPULATION', label: 'Population or ancestry questions' },
  { code: 'GENDER', label: 'Gender, sex or sexuality' },
  { code: 'PEDIATRIC', label: 'Children' },
  { code: 'VULNERABLE_POPULATIONS', label: 'Vulnerable populations' },
  { code: 'ILLEGAL_BEHAVIOR', label: 'Illegal behaviour' },
  { code: 'SEXUAL_DISEASES', label: 'Sexually transmitted diseases' },
  { code: 'PSYCHOLOGICAL_TRAITS', label: 'Psychological traits' },
  { code: 'NOT_HEALTH', label: 'Not about health' },
  { code: 'STIGMATIZED_DISEASES', label: 'Stigmatised diseases' },
  { code: 'OTHER', label: 'Another sensitive topic (describe it)' },
];

export type { Purpose } from './graphql/fragments';
import type { Purpose } from './graphql/fragments';

/** The researcher's name of a primary purpose, e.g. "General research (GRU)". */
export function purposeLabel(primary: string): string {
  const p = RESEARCH_PURPOSES.find((x) => x.code === primary);
  return p ? `${p.label} (${p.code})` : primary;
}

/**
 * What a purpose means for a participant, in the words of their own consent page (the same
 * explanations, from the DUO text where the API gives it), plus what else the study declared.
 */
export function plainPurpose(purpose: Purpose, duoPlain: Record<string, string> = {}): string[] {
  const key = purpose.primary.toLowerCase();
  const mine = CONSENT_PURPOSES.find((p) => p.key === key);
  const lines = [
    mine
      ? `${mine.label}: ${(mine.duo && duoPlain[mine.duo]) || mine.fallback}`
      : purposeLabel(purpose.primary),
  ];
  if (purpose.diseases.length) lines.push(`The diseases studied: ${purpose.diseases.join(', ')}.`);
  const commercial = CONSENT_PURPOSES.find((p) => p.key === 'commercial')!;
  lines.push(
    purpose.commercial
      ? `${commercial.label}: ${commercial.fallback}`
      : 'Not commercial: no company profits from it.',
  );
  if (purpose.sensitive.length)
    lines.push(
      `It touches sensitive topics: ${purpose.sensitive
        .map((s) => SENSITIVE_TOPICS.find((t) => t.code === s)?.label.toLowerCase() ?? s)
        .join('; ')}.`,
    );
  return lines;
}

/** "3 days", "5 hours", "12 minutes": how long something has waited, for a queue. */
export function waitedFor(since: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - new Date(since).getTime()) / 60_000));
  if (minutes < 60) return minutes <= 1 ? 'just now' : `${minutes} minutes`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return hours === 1 ? '1 hour' : `${hours} hours`;
  return `${Math.floor(hours / 24)} days`;
}

/** A date and time for people, in UTC so every reader sees the same. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${new Date(iso).toLocaleString(intlLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`;
}

/** A date for people. */
export function day(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleDateString(intlLocale(), { dateStyle: 'long', timeZone: 'UTC' });
}
