/** Shared vocabulary of the participant pages (consent, timeline, home). */
import type { EnumOf } from './graphql/graphql';
import type { Preferences } from './graphql/fragments';
import { m } from './paraglide/messages';
import type { Role } from './roles';

export type { Preferences };
/** A standing answer, as the API's `ConsentChoice` names it. */
export type Choice = EnumOf<'ConsentChoice'>;
/** A purpose of the consent form: one field of the API's `PurposeChoices`. */
export type PurposeKey = keyof Preferences['purposes'];

/**
 * The purposes in the order the form shows them; `duo` names the DUO term whose text explains it.
 * Words are getters, so they are read in the language of the page being rendered.
 */
export const PURPOSES: readonly {
  key: PurposeKey;
  label: string;
  duo: string | null;
  fallback: string;
}[] = [
  {
    key: 'gru',
    get label() {
      return m.purpose_gru();
    },
    duo: 'GRU',
    get fallback() {
      return m.purpose_gru_plain();
    },
  },
  {
    key: 'hmb',
    get label() {
      return m.purpose_hmb();
    },
    duo: 'HMB',
    get fallback() {
      return m.purpose_hmb_plain();
    },
  },
  {
    key: 'ds',
    get label() {
      return m.purpose_ds();
    },
    duo: 'DS',
    get fallback() {
      return m.purpose_ds_plain();
    },
  },
  {
    key: 'poa',
    get label() {
      return m.purpose_poa();
    },
    duo: 'POA',
    get fallback() {
      return m.purpose_poa_plain();
    },
  },
  {
    key: 'methods',
    get label() {
      return m.purpose_methods();
    },
    duo: null,
    get fallback() {
      return m.purpose_methods_plain();
    },
  },
  {
    key: 'commercial',
    get label() {
      return m.purpose_commercial();
    },
    duo: null,
    get fallback() {
      return m.purpose_commercial_plain();
    },
  },
];

export const CHOICES: readonly { value: Choice; label: string; short: string }[] = [
  {
    value: 'PERMIT',
    get label() {
      return m.choice_permit();
    },
    get short() {
      return m.choice_permit_short();
    },
  },
  {
    value: 'DENY',
    get label() {
      return m.choice_deny();
    },
    get short() {
      return m.choice_deny_short();
    },
  },
  {
    value: 'ASK',
    get label() {
      return m.choice_ask();
    },
    get short() {
      return m.choice_ask_short();
    },
  },
];

export const SWITCHES: readonly {
  key: 'askEachTime' | 'discoverable' | 'recontact';
  label: string;
  hint: string;
}[] = [
  {
    key: 'askEachTime',
    get label() {
      return m.switch_ask_each_time();
    },
    get hint() {
      return m.switch_ask_each_time_hint();
    },
  },
  {
    key: 'discoverable',
    get label() {
      return m.switch_discoverable();
    },
    get hint() {
      return m.switch_discoverable_hint();
    },
  },
  {
    key: 'recontact',
    get label() {
      return m.switch_recontact();
    },
    get hint() {
      return m.switch_recontact_hint();
    },
  },
];

/**
 * How standing choices and answers to single studies combine, in the participant's words (the
 * rules are in docs/consent-precedence.md; the server decides with the same rules).
 */
export const PRECEDENCE: readonly (() => string)[] = [
  m.precedence_withdraw,
  m.precedence_study_yes,
  m.precedence_later_no,
  m.precedence_received,
];

export function choiceLabel(c: Choice): string {
  return CHOICES.find((x) => x.value === c)?.label ?? c;
}

/**
 * DUO's nesting, broadest first: all research ⊇ health research ⊇ research on diseases (and the
 * diseases a participant names below that). The other purposes are their own axes.
 */
export const NESTED: readonly PurposeKey[] = ['gru', 'hmb', 'ds'];

/** A contradiction in the form's answers, reported on the narrower level's question. */
export interface Contradiction {
  key: PurposeKey;
  message: string;
}

const CONTRADICTION: Record<string, () => string> = {
  'gru>hmb': m.consent_contradiction_gru_hmb,
  'gru>ds': m.consent_contradiction_gru_ds,
  'hmb>ds': m.consent_contradiction_hmb_ds,
};

/**
 * The contradictions the server refuses (server/src/modules/consent/purpose-contradictions.ts),
 * so the form can explain them before it is sent: allowing a broader level while not allowing a
 * whole narrower one. One per narrower level, naming the nearest level that allows it.
 */
export function contradictionsOf(purposes: Partial<Record<string, string>>): Contradiction[] {
  const found: Contradiction[] = [];
  NESTED.forEach((narrow, i) => {
    if (purposes[narrow] !== 'DENY') return;
    const broad = NESTED.slice(0, i)
      .reverse()
      .find((level) => purposes[level] === 'PERMIT');
    if (broad) found.push({ key: narrow, message: CONTRADICTION[`${broad}>${narrow}`]!() });
  });
  return found;
}

/** What changed from `before` to `after`, in plain words (first version: its summary). */
export function describeChange(
  after: Preferences,
  before: Preferences | undefined,
  diseaseLabel: (id: string) => string = (id) => id,
): string[] {
  if (!before || before.version === 0) return [m.change_first()];
  const out: string[] = [];
  for (const p of PURPOSES) {
    const a = after.purposes[p.key];
    const b = before.purposes[p.key];
    if (a !== b) out.push(`${p.label}: ${choiceLabel(b)} → ${choiceLabel(a)}`);
  }
  const was = new Map(before.diseases.map((d) => [d.id, d.choice]));
  const now = new Map(after.diseases.map((d) => [d.id, d.choice]));
  for (const id of new Set([...was.keys(), ...now.keys()])) {
    const b = was.get(id);
    const a = now.get(id);
    if (a === b) continue;
    const word = (c: Choice | undefined) => (c ? choiceLabel(c) : m.change_disease_follows());
    out.push(m.change_disease({ disease: diseaseLabel(id), before: word(b), after: word(a) }));
  }
  for (const s of SWITCHES) {
    if (after[s.key] !== before[s.key])
      out.push(`${s.label}: ${after[s.key] ? m.change_on() : m.change_off()}`);
  }
  return out.length ? out : [m.change_none()];
}

/** Who did it, from the actor's role, in the participant's words and language. */
const ACTORS: Record<Role | 'system', () => string> = {
  participant: m.actor_participant,
  researcher: m.actor_researcher,
  ethics_board: m.actor_ethics_board,
  steward: m.actor_steward,
  admin: m.actor_admin,
  consent_coordinator: m.actor_consent_coordinator,
  clinician: m.actor_clinician,
  signing_official: m.actor_signing_official,
  system: m.actor_system,
};

export function actorLabel(role: string): string {
  return (ACTORS as Partial<Record<string, () => string>>)[role]?.() ?? role;
}
