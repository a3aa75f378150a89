import type { Finding } from './finding.js';
import type { DataUseTerms, ResearchPurpose } from './match-types.js';
import { regionAllowed, regionLabel } from '../../ontology/regions.js';
import { isValidMonths } from './time-limit.js';

const approve = (reason: string): Finding => ({ verdict: 'APPROVE', reason });
const abstain = (reason: string): Finding => ({ verdict: 'ABSTAIN', reason });
const deny = (reason: string): Finding => ({ verdict: 'DENY', reason });

const PROFIT_LIMIT = {
  NPU: 'use by not-for-profit organisations (NPU)',
  NCU: 'non-commercial use (NCU)',
  NPUNCU: 'non-commercial use by not-for-profit organisations (NPUNCU)',
} as const;

/** Free-form names compared as people write them: case and surrounding spaces do not matter. */
export const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function profitFindings(purpose: ResearchPurpose, dataUse: DataUseTerms): Finding[] {
  const why = [
    purpose.commercial ? 'the purpose is commercial' : undefined,
    purpose.forProfitOrganisation ? 'the requesting organisation is for-profit' : undefined,
  ].filter((x): x is string => x !== undefined);
  if (why.length === 0) return [];
  // Following DUOS, each of the three codes refuses both commercial purposes and for-profit
  // requesters: consent forms rarely separate the two, and a wrong refusal costs less than a wrong grant.
  return (['NPU', 'NCU', 'NPUNCU'] as const)
    .filter((code) => dataUse.modifiers.includes(code))
    .map((code) => deny(`Dataset is limited to ${PROFIT_LIMIT[code]}, but ${why.join(' and ')}`));
}

function bindingFindings(purpose: ResearchPurpose, dataUse: DataUseTerms): Finding[] {
  const params = dataUse.params ?? {};
  const findings: Finding[] = [];
  if (dataUse.modifiers.includes('US') && params.users && purpose.userIds) {
    const allowed = new Set(params.users);
    const outsiders = purpose.userIds.filter((id) => !allowed.has(id));
    if (outsiders.length > 0) {
      findings.push(
        deny(`Dataset is restricted to approved users (US); not approved: ${outsiders.join(', ')}`),
      );
    }
  }
  if (dataUse.modifiers.includes('PS') && params.projects && purpose.projectId !== undefined) {
    if (!params.projects.includes(purpose.projectId)) {
      findings.push(
        deny(
          `Dataset is restricted to approved projects (PS); project ${purpose.projectId} is not one of them`,
        ),
      );
    }
  }
  if (
    dataUse.modifiers.includes('IS') &&
    params.institutions &&
    purpose.institution !== undefined
  ) {
    const institution = purpose.institution;
    if (!params.institutions.some((name) => sameName(name, institution))) {
      findings.push(
        deny(
          `Dataset is restricted to approved institutions (IS); ${institution} is not one of them`,
        ),
      );
    }
  }
  if (dataUse.modifiers.includes('GS') && params.regions && purpose.geography !== undefined) {
    if (!regionAllowed(purpose.geography, params.regions)) {
      findings.push(
        deny(
          `Dataset may be used only within ${params.regions.map(regionLabel).join(', ')} (GS); the purpose is in ${regionLabel(purpose.geography)}`,
        ),
      );
    }
  }
  const until = params.moratoriumUntil;
  const planned = purpose.plannedPublication;
  // ISO dates compare correctly as strings.
  if (dataUse.modifiers.includes('MOR') && until && planned && planned < until) {
    findings.push(
      deny(
        `Dataset's results may not be published before ${until} (MOR), but the purpose plans to publish on ${planned}`,
      ),
    );
  }
  return findings;
}

/**
 * Findings from the dataset's modifiers that can refuse or hold a request. NMDS is judged with
 * the permission (it only makes sense against the disease bounds); the purely obligating
 * modifiers (IRB, COL, PUB, MOR, RTN) never change the decision and appear as obligations.
 */
export function modifierFindings(purpose: ResearchPurpose, dataUse: DataUseTerms): Finding[] {
  const has = (code: DataUseTerms['modifiers'][number]) => dataUse.modifiers.includes(code);
  const findings = [...profitFindings(purpose, dataUse), ...bindingFindings(purpose, dataUse)];

  if (has('NPOA') && purpose.primary === 'POA') {
    findings.push(deny('Dataset forbids population origins or ancestry research (NPOA)'));
  }
  if (has('GSO') && purpose.genetic === false) {
    findings.push(
      deny('Dataset is limited to genetic studies (GSO), but the study includes no genotype data'),
    );
  }
  if (has('RS')) {
    findings.push(
      abstain('Dataset carries research-specific restrictions (RS) that a reviewer must read'),
    );
  }
  if (has('TS') && !isValidMonths(dataUse.params?.timeLimitMonths)) {
    findings.push(
      abstain(
        'Dataset has a time limit on use (TS) without a length; the data access committee must set it',
      ),
    );
  }
  if (has('CC')) {
    findings.push(approve('Dataset also allows clinical care use (CC), which adds no restriction'));
  }
  return findings;
}
