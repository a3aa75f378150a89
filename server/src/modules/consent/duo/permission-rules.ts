import type { DiseaseOntology } from './disease-ontology.js';
import { describeDiseases } from './disease-ontology.js';
import { uncoveredDiseases } from './disease-coverage.js';
import type { Finding } from './finding.js';
import type { DataUseTerms, PurposeCategory, ResearchPurpose } from './match-types.js';

const PURPOSE_PHRASE: Record<PurposeCategory, string> = {
  GRU: 'general research',
  HMB: 'health, medical or biomedical research',
  DS: 'disease-specific research',
  POA: 'population origins or ancestry research',
  METHODS: 'methods development research',
};

const approve = (reason: string): Finding => ({ verdict: 'APPROVE', reason });
const deny = (reason: string): Finding => ({ verdict: 'DENY', reason });

/** A DS purpose with no disease cannot be checked against anything, whatever the dataset. */
function missingDiseaseFindings(purpose: ResearchPurpose): Finding[] {
  return purpose.primary === 'DS' && purpose.diseases.length === 0
    ? [deny('A disease-specific (DS) research purpose must name at least one disease')]
    : [];
}

function methodsFindings(
  purpose: ResearchPurpose,
  dataUse: DataUseTerms,
  ontology: DiseaseOntology,
): Finding[] {
  if (!dataUse.modifiers.includes('NMDS')) {
    return [
      approve('Methods research is permitted because the data use does not forbid it (no NMDS)'),
    ];
  }
  // DUOS (after the NIH wording of NMDS): methods research stays allowed inside the bounds of a
  // disease restriction, so DS data with NMDS serves methods work on its own diseases only.
  if (dataUse.permission !== 'DS') {
    return [deny('The data use forbids methods development research (NMDS)')];
  }
  if (purpose.diseases.length === 0) {
    return [
      deny(
        `The data use forbids methods research outside its diseases (NMDS); the purpose names no disease within ${describeDiseases(ontology, dataUse.diseases)}`,
      ),
    ];
  }
  const missing = uncoveredDiseases(purpose.diseases, dataUse.diseases, ontology);
  if (missing.length > 0) {
    return [
      deny(
        `The data use forbids methods research outside its diseases (NMDS); ${describeDiseases(ontology, missing)} not covered by ${describeDiseases(ontology, dataUse.diseases)}`,
      ),
    ];
  }
  return [
    approve(
      `Methods research on ${describeDiseases(ontology, purpose.diseases)} stays within the dataset's diseases, as NMDS requires`,
    ),
  ];
}

function diseaseSpecificFindings(
  purpose: ResearchPurpose,
  dataUse: DataUseTerms,
  ontology: DiseaseOntology,
): Finding[] {
  if (purpose.diseases.length === 0) return [];
  const missing = uncoveredDiseases(purpose.diseases, dataUse.diseases, ontology);
  if (missing.length > 0) {
    return [
      deny(
        `Purpose disease(s) ${describeDiseases(ontology, missing)} are outside the dataset's disease restriction (DS: ${describeDiseases(ontology, dataUse.diseases)})`,
      ),
    ];
  }
  return [
    approve(
      `Dataset permits research on ${describeDiseases(ontology, dataUse.diseases)} (DS), which covers ${describeDiseases(ontology, purpose.diseases)}`,
    ),
  ];
}

function categoryFindings(
  purpose: ResearchPurpose,
  dataUse: DataUseTerms,
  ontology: DiseaseOntology,
): Finding[] {
  const wanted = PURPOSE_PHRASE[purpose.primary];
  if (purpose.primary === 'METHODS') return methodsFindings(purpose, dataUse, ontology);

  switch (dataUse.permission) {
    case 'NRES':
      return [approve(`Dataset has no restriction on use (NRES), so ${wanted} is permitted`)];
    case 'GRU':
      return [approve(`Dataset permits general research use (GRU), which includes ${wanted}`)];
    case 'HMB':
      if (purpose.primary === 'HMB' || purpose.primary === 'DS') {
        return [
          approve(
            `Dataset permits health, medical or biomedical research (HMB), which includes ${wanted}`,
          ),
        ];
      }
      return [
        deny(
          purpose.primary === 'POA'
            ? 'Dataset is limited to health, medical or biomedical research (HMB), which excludes population origins or ancestry research'
            : 'Dataset is limited to health, medical or biomedical research (HMB); general research is broader than that',
        ),
      ];
    case 'DS':
      if (purpose.primary === 'DS') return diseaseSpecificFindings(purpose, dataUse, ontology);
      return [
        deny(
          `Dataset is limited to research on ${describeDiseases(ontology, dataUse.diseases)} (DS); ${wanted} is not disease-specific`,
        ),
      ];
    case 'POA':
      return [
        purpose.primary === 'POA'
          ? approve('Dataset permits population origins or ancestry research (POA)')
          : deny(
              `Dataset is limited to population origins or ancestry research (POA); ${wanted} is outside it`,
            ),
      ];
  }
}

/**
 * The permission × purpose table (see README): whether the dataset's permission admits the
 * purpose's primary category, before the modifiers are considered.
 */
export function permissionFindings(
  purpose: ResearchPurpose,
  dataUse: DataUseTerms,
  ontology: DiseaseOntology,
): Finding[] {
  const findings = missingDiseaseFindings(purpose);
  if (dataUse.permission === 'DS' && dataUse.diseases.length === 0) {
    // Malformed terms (DataUseSchema rejects them): refuse rather than guess what was meant.
    findings.push(
      deny('The dataset is disease-specific (DS) but names no disease, so no purpose can fit it'),
    );
  } else {
    findings.push(...categoryFindings(purpose, dataUse, ontology));
  }
  if (
    (dataUse.permission === 'HMB' || dataUse.permission === 'DS') &&
    purpose.sensitive.includes('NOT_HEALTH')
  ) {
    const scope =
      dataUse.permission === 'HMB' ? 'health, medical or biomedical' : 'disease-specific';
    findings.push(
      deny(
        `Dataset is limited to ${scope} research (${dataUse.permission}); the purpose declares research that is not health-related`,
      ),
    );
  }
  return findings;
}
