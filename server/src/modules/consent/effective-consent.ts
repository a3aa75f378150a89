import type { ResearchPurpose } from './duo/match-types.js';
import type { ConsentChoice, ConsentPreferences, ConsentScope } from './preferences.js';

/** What a participant's consent says about one study purpose. */
export type EffectiveConsent = 'permit' | 'deny' | 'ask';

const SEVERITY: Record<ConsentChoice, number> = { permit: 0, ask: 1, deny: 2 };

function worst(...choices: ConsentChoice[]): ConsentChoice {
  return choices.reduce((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a), 'permit');
}

/** The scopes a purpose touches: its primary category, and commercial use when it is commercial. */
export function scopesOf(purpose: Pick<ResearchPurpose, 'primary' | 'commercial'>): ConsentScope[] {
  return purpose.commercial ? [purpose.primary, 'COMMERCIAL'] : [purpose.primary];
}

/**
 * Effective consent of one participant for one study: the dataset's data use must allow the
 * purpose, then the participant's own decision on this study (if they made one) decides, else
 * their standing preferences: every scope the purpose touches must permit, a deny anywhere
 * denies, and "ask me each time" turns a permit into ask. The one function used for counts,
 * exports and grants.
 */
export function effectiveConsent(input: {
  dataUseAllows: boolean;
  preferences: ConsentPreferences;
  purpose: Pick<ResearchPurpose, 'primary' | 'commercial'>;
  studyDecision?: 'permit' | 'deny' | null;
  withdrawn?: boolean;
}): EffectiveConsent {
  if (input.withdrawn || !input.dataUseAllows) return 'deny';
  if (input.studyDecision) return input.studyDecision;
  const standing = worst(...scopesOf(input.purpose).map((s) => input.preferences.purposes[s]));
  if (standing === 'permit' && input.preferences.askEachTime) return 'ask';
  return standing;
}
