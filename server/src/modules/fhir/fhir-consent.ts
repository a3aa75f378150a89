import type { Coding, Consent, ConsentProvision, Extension } from '@medplum/fhirtypes';
import type { PreferenceVersion } from '../consent/consent.service.js';
import {
  CONSENT_SCOPES,
  type ConsentChoice,
  type ConsentScope,
  type DiseaseChoice,
} from '../consent/preferences.js';
import { DUO_PERMISSIONS } from '../ontology/duo.js';
import type { ParticipantRow } from './fhir-access.js';
import { studyProvision, type StudyDecisionEntry } from './fhir-study-provisions.js';
import { EXTENSIONS, SYSTEMS } from './fhir-systems.js';

/**
 * The purpose coding of each scope. The four DUO purposes use their DUO ids. Methods research
 * and commercial use have no DUO *permission* term (DUO:0000015 "no general methods research"
 * and DUO:0000046 "non-commercial use only" are restrictions, so using them for a permit would
 * say the opposite), so they use our own code system.
 */
export function scopeCoding(scope: ConsentScope): Coding {
  if (scope === 'METHODS')
    return { system: SYSTEMS.consentScopeOwn, code: 'METHODS', display: 'methods research' };
  if (scope === 'COMMERCIAL')
    return { system: SYSTEMS.consentScopeOwn, code: 'COMMERCIAL', display: 'commercial use' };
  const term = DUO_PERMISSIONS[scope];
  return { system: SYSTEMS.duo, code: term.id, display: term.label };
}

/**
 * One scope's standing answer. FHIR provisions only permit or deny, so `ask` is a deny (nothing
 * may happen without asking) marked with the ask-each-time extension: a reader that ignores the
 * extension still does the safe thing.
 */
function scopeProvision(scope: ConsentScope, choice: ConsentChoice): ConsentProvision {
  return {
    ...(choice === 'ask'
      ? { extension: [{ url: EXTENSIONS.askEachTime, valueBoolean: true }] }
      : {}),
    type: choice === 'permit' ? 'permit' : 'deny',
    purpose: [scopeCoding(scope)],
  };
}

/**
 * A named disease's standing answer: a DS provision whose code is the MONDO disease (it refines
 * the DS provision for that disease and those below it; docs/consent-precedence.md).
 */
function diseaseProvision(d: DiseaseChoice): ConsentProvision {
  return {
    ...scopeProvision('DS', d.choice),
    code: [{ coding: [{ system: SYSTEMS.mondo, code: d.id }] }],
  };
}

/** `Consent.scope`: consent to research (the only scope Consentome records). */
export const RESEARCH_SCOPE: Coding = {
  system: SYSTEMS.consentScope,
  code: 'research',
  display: 'Research',
};

/** `Consent.category`: LOINC 59284-0 Patient Consent. */
export const PATIENT_CONSENT_CATEGORY: Coding = {
  system: SYSTEMS.loinc,
  code: '59284-0',
  display: 'Patient Consent',
};

/** `Consent.policyRule` while the participant takes part (opt-in) and after withdrawal. */
export const OPT_IN: Coding = { system: SYSTEMS.actCode, code: 'OPTIN', display: 'opt-in' };
export const OPT_OUT: Coding = { system: SYSTEMS.actCode, code: 'OPTOUT', display: 'opt-out' };

/** The Consent id of a participant: their pseudonym when it is a valid FHIR id (it is by default). */
export function consentId(pseudonym: string): string | null {
  return /^[A-Za-z0-9\-.]{1,64}$/.test(pseudonym) ? pseudonym : null;
}

/**
 * One version of a participant's preferences as a FHIR R4 Consent. Version 0 is the default
 * (everything asked) in force before the participant stated anything. The latest version of a
 * withdrawn participant is inactive; every other version was active when it was in force.
 * `studies` are the participant's decisions on single studies in force with this version.
 */
export function toFhirConsent(
  participant: ParticipantRow,
  version: PreferenceVersion,
  latest: boolean,
  studies: readonly StudyDecisionEntry[] = [],
): Consent {
  const withdrawn = participant.status === 'withdrawn' && latest;
  const id = consentId(participant.pseudonym);
  const anyPermit = CONSENT_SCOPES.some((s) => version.purposes[s] === 'permit');
  const when = version.createdAt ?? participant.createdAt;
  const extension: Extension[] = [
    { url: EXTENSIONS.askEachTime, valueBoolean: version.askEachTime },
    { url: EXTENSIONS.discoverable, valueBoolean: version.discoverable },
    { url: EXTENSIONS.recontact, valueBoolean: version.recontact },
  ];
  return {
    resourceType: 'Consent',
    ...(id ? { id } : {}),
    meta: {
      versionId: String(version.version),
      ...(version.createdAt ? { lastUpdated: version.createdAt.toISOString() } : {}),
    },
    extension,
    status: withdrawn ? 'inactive' : 'active',
    scope: { coding: [RESEARCH_SCOPE] },
    category: [{ coding: [PATIENT_CONSENT_CATEGORY] }],
    patient: { reference: `Patient/${participant.pseudonym}` },
    dateTime: when.toISOString(),
    policyRule: { coding: [withdrawn ? OPT_OUT : OPT_IN] },
    provision: {
      type: anyPermit ? 'permit' : 'deny',
      provision: [
        ...CONSENT_SCOPES.map((s) => scopeProvision(s, version.purposes[s])),
        ...(version.diseases ?? []).map(diseaseProvision),
        // Per-study decisions override the standing answers for that one study.
        ...studies.map(studyProvision),
      ],
    },
  };
}
