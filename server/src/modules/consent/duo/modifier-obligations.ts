import { DUO_MODIFIER_CODES, type DuoModifier } from '../../ontology/duo.js';
import type { DataUseParams, Obligation } from './match-types.js';
import { isValidMonths } from './time-limit.js';

const BY_DAC = 'to be set by the data access committee';

function binding(
  code: DuoModifier,
  what: string,
  allowed: readonly string[] | undefined,
): Obligation {
  return allowed && allowed.length > 0
    ? {
        code,
        kind: 'binding',
        description: `Use is bound to ${what}: ${allowed.join(', ')}`,
        allowed: [...allowed],
      }
    : { code, kind: 'binding', description: `Use is bound to ${what} ${BY_DAC}` };
}

const OBLIGATION: Partial<Record<DuoModifier, (params: DataUseParams) => Obligation>> = {
  NPU: () => ({
    code: 'NPU',
    kind: 'condition',
    description: 'Use only by not-for-profit organisations',
  }),
  NCU: () => ({
    code: 'NCU',
    kind: 'condition',
    description: 'No commercial use of the data or results',
  }),
  NPUNCU: () => ({
    code: 'NPUNCU',
    kind: 'condition',
    description: 'Use only by not-for-profit organisations, and no commercial use',
  }),
  IRB: () => ({
    code: 'IRB',
    kind: 'evidence',
    description: 'Ethics approval letter required',
    evidence: 'irb_letter',
  }),
  COL: () => ({
    code: 'COL',
    kind: 'evidence',
    description: "Collaboration agreement with the dataset's primary investigators required",
    evidence: 'collaboration_agreement',
  }),
  PUB: () => ({
    code: 'PUB',
    kind: 'publication',
    description: 'Results must be made available to the wider scientific community',
  }),
  MOR: ({ moratoriumUntil }) =>
    moratoriumUntil
      ? {
          code: 'MOR',
          kind: 'publication',
          description: `No publication of results before ${moratoriumUntil}`,
          until: moratoriumUntil,
        }
      : {
          code: 'MOR',
          kind: 'publication',
          description: `No publication of results before a date ${BY_DAC}`,
        },
  TS: ({ timeLimitMonths }) =>
    isValidMonths(timeLimitMonths)
      ? {
          code: 'TS',
          kind: 'time_limit',
          description: `Access expires ${timeLimitMonths} month(s) after approval`,
          months: timeLimitMonths,
        }
      : { code: 'TS', kind: 'time_limit', description: `Access expires after a period ${BY_DAC}` },
  US: ({ users }) => binding('US', 'the approved users', users),
  PS: ({ projects }) => binding('PS', 'the approved projects', projects),
  IS: ({ institutions }) => binding('IS', 'the approved institutions', institutions),
  GS: ({ regions }) => binding('GS', 'the region(s)', regions),
  RTN: () => ({
    code: 'RTN',
    kind: 'return',
    description: 'Derived or enriched data must be returned to the resource',
  }),
  GSO: () => ({
    code: 'GSO',
    kind: 'condition',
    description: 'Use only in studies that include genotype data',
  }),
  NMDS: () => ({
    code: 'NMDS',
    kind: 'condition',
    description: 'No methods development beyond the bounds of the other restrictions',
  }),
  NPOA: () => ({
    code: 'NPOA',
    kind: 'condition',
    description: 'No population origins or ancestry research',
  }),
  RS: () => ({
    code: 'RS',
    kind: 'condition',
    description:
      "The consent's research-specific restrictions apply, as read by the data access committee",
  }),
  // CC widens use rather than narrowing it, so it obliges nothing.
};

/**
 * The obligations a grant on these modifiers carries, in DUO modifier order so the list is
 * stable whatever order the dataset stored its modifiers in.
 */
export function obligationsFor(
  modifiers: readonly DuoModifier[],
  params: DataUseParams = {},
): Obligation[] {
  const present = new Set(modifiers);
  return DUO_MODIFIER_CODES.filter((code) => present.has(code)).flatMap((code) => {
    const make = OBLIGATION[code];
    return make ? [make(params)] : [];
  });
}
