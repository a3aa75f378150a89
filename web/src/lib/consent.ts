/** Shared vocabulary of the participant pages (consent, timeline, home). */
import type { EnumOf } from './graphql/graphql';
import type { Preferences } from './graphql/fragments';
import type { Role } from './roles';

export type { Preferences };
/** A standing answer, as the API's `ConsentChoice` names it. */
export type Choice = EnumOf<'ConsentChoice'>;
/** A purpose of the consent form: one field of the API's `PurposeChoices`. */
export type PurposeKey = keyof Preferences['purposes'];

/** The purposes in the order the form shows them; `duo` names the DUO term whose text explains it. */
export const PURPOSES: readonly {
  key: PurposeKey;
  label: string;
  duo: string | null;
  fallback: string;
}[] = [
  {
    key: 'gru',
    label: 'General research',
    duo: 'GRU',
    fallback: 'Any kind of research.',
  },
  {
    key: 'hmb',
    label: 'Health and medical research',
    duo: 'HMB',
    fallback: 'Research about health, medicine or disease.',
  },
  {
    key: 'ds',
    label: 'Research on specific diseases',
    duo: 'DS',
    fallback: 'Research on a particular disease.',
  },
  {
    key: 'poa',
    label: 'Population and ancestry research',
    duo: 'POA',
    fallback: 'Research on where populations come from and how they are related.',
  },
  {
    key: 'methods',
    label: 'Methods development',
    duo: null,
    fallback:
      'Building and testing new ways to analyse data (software, statistics), not learning about you.',
  },
  {
    key: 'commercial',
    label: 'Commercial use',
    duo: null,
    fallback: 'Use by companies, or research meant to make a product or a profit.',
  },
];

export const CHOICES: readonly { value: Choice; label: string; short: string }[] = [
  { value: 'PERMIT', label: 'Allow', short: 'allowed' },
  { value: 'DENY', label: 'Don’t allow', short: 'not allowed' },
  { value: 'ASK', label: 'Ask me each time', short: 'ask me' },
];

export const SWITCHES: readonly {
  key: 'askEachTime' | 'discoverable' | 'recontact';
  label: string;
  hint: string;
}[] = [
  {
    key: 'askEachTime',
    label: 'Ask me about every study',
    hint: 'Even where you said “Allow”, we ask you before any study uses your data. A “No” still means no.',
  },
  {
    key: 'discoverable',
    label: 'Count me in discovery searches',
    hint:
      'Researchers exploring the data before a study exists may see you as part of a number, never who you are. ' +
      'Turning this off removes you from those numbers only: studies that match you can still ask you, ' +
      'and use your data where your choices above allow.',
  },
  {
    key: 'recontact',
    label: 'You may contact me about other things',
    hint:
      'Your study site may send you messages that are not about your own data, such as a research finding ' +
      'that may matter for your health. Researchers never contact you themselves. Messages about your own data ' +
      '(a study asking to use it, your account’s security) always reach you.',
  },
];

/**
 * How standing choices and answers to single studies combine, in the participant's words (the
 * rules are in docs/consent-precedence.md; the server decides with the same rules).
 */
export const PRECEDENCE: readonly string[] = [
  'Withdrawing stops everything, whatever else you chose.',
  'Your answer to one study counts for that study: a “Yes” stands even if your choice here is “Ask me each time”.',
  'If you later choose “Don’t allow” for a kind of research, studies you said yes to that have not received your data yet will not receive it.',
  'Studies that already received your data ask you whether your new “no” applies to them too. Until you answer, your earlier yes stands for that study only. What a study already received cannot be called back.',
];

export function choiceLabel(c: Choice): string {
  return CHOICES.find((x) => x.value === c)?.label ?? c;
}

/** What changed from `before` to `after`, in plain words (first version: its summary). */
export function describeChange(after: Preferences, before: Preferences | undefined): string[] {
  if (!before || before.version === 0) return ['Your first choices.'];
  const out: string[] = [];
  for (const p of PURPOSES) {
    const a = after.purposes[p.key];
    const b = before.purposes[p.key];
    if (a !== b) out.push(`${p.label}: ${choiceLabel(b)} → ${choiceLabel(a)}`);
  }
  for (const s of SWITCHES) {
    if (after[s.key] !== before[s.key]) out.push(`${s.label}: ${after[s.key] ? 'on' : 'off'}`);
  }
  return out.length ? out : ['No change (saved again).'];
}

/** Who did it, from the actor's role, in the participant's words. */
const ACTORS: Record<Role | 'system', string> = {
  participant: 'You',
  researcher: 'A researcher',
  ethics_board: 'The ethics board',
  steward: 'A data steward',
  admin: 'An administrator',
  consent_coordinator: 'Your site’s consent coordinator',
  system: 'Consentome',
};

export function actorLabel(role: string): string {
  return (ACTORS as Partial<Record<string, string>>)[role] ?? role;
}
