// Reads only what it needs (not preferences.ts's types): preferences.ts uses it in its schema.
/** One contradiction in a set of standing choices: where, and why, in words for participants. */
export interface PurposeContradiction {
  /** The field it is reported on (`purposes.HMB`, `diseases.2.id`). */
  path: (string | number)[];
  /** Which rule: a stable code the portal translates. */
  code: 'broader-permit-narrower-deny' | 'disease-twice';
  message: string;
}

const PLAIN: Record<'GRU' | 'HMB' | 'DS', string> = {
  GRU: 'all research',
  HMB: 'health research',
  DS: 'research on diseases',
};

// GRU ⊇ HMB ⊇ DS: each narrower level with the levels above it, nearest first.
const LEVELS_ABOVE: ['HMB' | 'DS', ('GRU' | 'HMB')[]][] = [
  ['HMB', ['GRU']],
  ['DS', ['HMB', 'GRU']],
];

/**
 * The combinations of standing choices that contradict themselves, so they are refused:
 * - allowing a broader level of GRU ⊇ HMB ⊇ DS while denying a whole narrower one ("you allow all
 *   research but not health research: health research is part of all research"). The narrower
 *   level is the bulk of the broader one, so the two answers cannot both be meant; to exclude
 *   part of it, a participant names diseases instead, which refine without contradicting.
 * - the same disease named twice.
 * Everything else is a refinement, not a contradiction: denying or asking broadly and allowing
 * narrowly ("no to research in general, yes to health research"), asking at one level and
 * deciding at another, and any answer for a named disease (the most specific one decides).
 */
export function purposeContradictions(p: {
  purposes: Record<'GRU' | 'HMB' | 'DS', string>;
  diseases?: readonly { id: string }[];
}): PurposeContradiction[] {
  const found: PurposeContradiction[] = [];
  for (const [narrow, above] of LEVELS_ABOVE) {
    if (p.purposes[narrow] !== 'deny') continue;
    // One finding per denied level, naming the nearest level that allows it.
    const broad = above.find((level) => p.purposes[level] === 'permit');
    if (!broad) continue;
    found.push({
      path: ['purposes', narrow],
      code: 'broader-permit-narrower-deny',
      message:
        `You allow ${PLAIN[broad]} but not ${PLAIN[narrow]}: ${PLAIN[narrow]} is part of ` +
        `${PLAIN[broad]}. Change one of the two answers, or name the diseases you want to exclude.`,
    });
  }
  const seen = new Set<string>();
  (p.diseases ?? []).forEach((d, i) => {
    if (seen.has(d.id))
      found.push({
        path: ['diseases', i, 'id'],
        code: 'disease-twice',
        message: `You named ${d.id} twice: keep one answer for it.`,
      });
    seen.add(d.id);
  });
  return found;
}
