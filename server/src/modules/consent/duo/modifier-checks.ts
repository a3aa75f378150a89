import { DUO_MODIFIER_CODES, type DuoModifier } from '../../ontology/duo.js';
import type {
  DataUseTerms,
  ModifierCheck,
  ModifierCheckStatus,
  Obligation,
  ResearchPurpose,
} from './match-types.js';
import { sameName } from './modifier-findings.js';
import { regionAllowed, regionLabel } from '../../ontology/regions.js';
import { isValidMonths } from './time-limit.js';

type Verdict = { status: ModifierCheckStatus; text: string };

const met = (text: string): Verdict => ({ status: 'met', text });
const notMet = (text: string): Verdict => ({ status: 'not_met', text });
const toCheck = (text: string): Verdict => ({ status: 'to_check', text });
const obliges = (text: string): Verdict => ({ status: 'obligation', text });

function profit(purpose: ResearchPurpose, code: string): Verdict {
  if (purpose.commercial) return notMet(`The purpose is commercial (${code})`);
  if (purpose.forProfitOrganisation)
    return notMet(`The requesting organisation is for-profit (${code})`);
  if (purpose.forProfitOrganisation === false)
    return met(`Non-commercial purpose of a not-for-profit organisation (${code})`);
  return toCheck(
    `The purpose is non-commercial; whether the organisation is not-for-profit is not stated (${code})`,
  );
}

/** A list binding (US, PS, IS): met when every value the purpose names is allowed. */
function listed(
  code: string,
  what: string,
  allowed: readonly string[] | undefined,
  named: readonly string[] | undefined,
  same: (a: string, b: string) => boolean,
): Verdict {
  if (!allowed || allowed.length === 0)
    return toCheck(`The data access committee has not listed the approved ${what} (${code})`);
  if (!named || named.length === 0)
    return toCheck(
      `The purpose does not name its ${what}: checked when access is granted (${code})`,
    );
  const outside = named.filter((n) => !allowed.some((a) => same(a, n)));
  if (outside.length > 0)
    return notMet(`Not among the approved ${what}: ${outside.join(', ')} (${code})`);
  return met(`All ${named.length} named ${what} are approved (${code})`);
}

function verdictFor(
  code: DuoModifier,
  purpose: ResearchPurpose,
  dataUse: DataUseTerms,
  reasons: readonly string[],
): Verdict {
  const params = dataUse.params ?? {};
  switch (code) {
    case 'NPU':
    case 'NCU':
    case 'NPUNCU':
      return profit(purpose, code);
    case 'IRB':
      return obliges('An ethics approval letter must be on file before access (IRB)');
    case 'COL':
      return obliges("Collaboration with the dataset's investigators is required (COL)");
    case 'PUB':
      return obliges('Results must be shared with the scientific community (PUB)');
    case 'RTN':
      return obliges('Derived data must be returned to the resource (RTN)');
    case 'MOR': {
      const until = params.moratoriumUntil;
      if (!until) return toCheck('The publication moratorium has no date yet (MOR)');
      const planned = purpose.plannedPublication;
      if (!planned)
        return toCheck(`No publication before ${until}; the purpose gives no planned date (MOR)`);
      return planned < until
        ? notMet(
            `Planned publication on ${planned} falls before the moratorium ends on ${until} (MOR)`,
          )
        : met(`Planned publication on ${planned} is after the moratorium ends on ${until} (MOR)`);
    }
    case 'TS':
      return isValidMonths(params.timeLimitMonths)
        ? obliges(`Access would end ${params.timeLimitMonths} month(s) after approval (TS)`)
        : toCheck('The time limit has no length yet (TS)');
    case 'US':
      return listed('US', 'users', params.users, purpose.userIds, (a, b) => a === b);
    case 'PS':
      return listed(
        'PS',
        'projects',
        params.projects,
        purpose.projectId === undefined ? undefined : [purpose.projectId],
        (a, b) => a === b,
      );
    case 'IS':
      return listed(
        'IS',
        'institutions',
        params.institutions,
        purpose.institution === undefined ? undefined : [purpose.institution],
        sameName,
      );
    case 'GS': {
      if (!params.regions || params.regions.length === 0)
        return toCheck('The data access committee has not set the allowed regions (GS)');
      const allowed = params.regions.map(regionLabel).join(', ');
      if (purpose.geography === undefined)
        return toCheck(
          `Processing must stay within ${allowed}; the purpose does not say where (GS)`,
        );
      return regionAllowed(purpose.geography, params.regions)
        ? met(`Processing in ${regionLabel(purpose.geography)} is within ${allowed} (GS)`)
        : notMet(`Processing in ${regionLabel(purpose.geography)} is outside ${allowed} (GS)`);
    }
    case 'GSO':
      return purpose.genetic === false
        ? notMet(
            'The study includes no genotype data, but the data is for genetic studies only (GSO)',
          )
        : met('The study includes genotype data (GSO)');
    case 'NPOA':
      return purpose.primary === 'POA'
        ? notMet('The purpose is population origins or ancestry research (NPOA)')
        : met('The purpose is not population origins or ancestry research (NPOA)');
    case 'NMDS':
      if (purpose.primary !== 'METHODS')
        return met('The purpose is not methods development (NMDS)');
      return reasons.some((r) => r.includes('(NMDS)'))
        ? notMet('Methods development is not allowed on this data (NMDS)')
        : met("Methods development stays within the dataset's diseases (NMDS)");
    case 'RS':
      return toCheck('Research-specific restrictions must be read by a reviewer (RS)');
    case 'CC':
      return met('Clinical care use is also allowed; it adds no restriction (CC)');
  }
}

/**
 * One plain-words finding per modifier of the dataset, in DUO order: whether the purpose meets
 * it, does not, or whether it is still to be checked (a value missing on either side), with the
 * obligation a grant would carry. `reasons` are the match's reasons (NMDS is judged there).
 */
export function modifierChecks(
  purpose: ResearchPurpose,
  dataUse: DataUseTerms,
  obligations: readonly Obligation[],
  reasons: readonly string[],
): ModifierCheck[] {
  const present = new Set(dataUse.modifiers);
  return DUO_MODIFIER_CODES.filter((code) => present.has(code)).map((code) => {
    const check: ModifierCheck = { code, ...verdictFor(code, purpose, dataUse, reasons) };
    const obligation = obligations.find((o) => o.code === code);
    if (obligation) check.obligation = obligation.description;
    return check;
  });
}
