import type { Coding, OperationOutcomeIssue } from '@medplum/fhirtypes';
import {
  CONSENT_SCOPES,
  type ConsentChoice,
  type ConsentScope,
  type DiseaseChoice,
} from '../consent/preferences.js';
import { referencedPseudonym } from './fhir-access.js';
import type { ConsentInput } from './fhir-consent-input.js';
import { fhirPath } from './fhir-consent-input.js';
import {
  OPT_IN,
  OPT_OUT,
  PATIENT_CONSENT_CATEGORY,
  RESEARCH_SCOPE,
  scopeCoding,
} from './fhir-consent.js';
import { FhirRequestError } from './fhir-http.js';
import { EXTENSIONS, SYSTEMS } from './fhir-systems.js';

/**
 * What a posted Consent says, in our terms: whose it is and a full set of standing answers. The
 * three settings carried by root extensions are undefined when the extension is absent, meaning
 * "leave as it is" — an EHR that has never heard of them must not switch discovery back on.
 */
export interface ConsentStatement {
  pseudonym: string;
  purposes: Record<ConsentScope, ConsentChoice>;
  /**
   * The named diseases' answers (DS provisions coded with MONDO diseases), or undefined when the
   * Consent names none: an EHR that does not know of per-disease choices must not erase them.
   */
  diseases?: DiseaseChoice[];
  askEachTime?: boolean;
  discoverable?: boolean;
  recontact?: boolean;
}

const key = (c: Pick<Coding, 'system' | 'code'>) => `${c.system}|${c.code}`;

/** Each purpose coding `toFhirConsent` writes, back to its scope. */
const SCOPE_BY_CODING = new Map(CONSENT_SCOPES.map((s) => [key(scopeCoding(s)), s]));

const ROOT_SETTINGS = {
  [EXTENSIONS.askEachTime]: 'askEachTime',
  [EXTENSIONS.discoverable]: 'discoverable',
  [EXTENSIONS.recontact]: 'recontact',
} as const satisfies Record<string, keyof ConsentStatement>;

/** Collects every problem, so one answer names every unknown code. */
class Issues {
  readonly list: OperationOutcomeIssue[] = [];
  add(code: OperationOutcomeIssue['code'], diagnostics: string, path: PropertyKey[]) {
    this.list.push({ severity: 'error', code, diagnostics, expression: [fhirPath(path)] });
  }
  unknownCode(coding: Coding, path: PropertyKey[]) {
    this.add('code-invalid', `Unknown code ${coding.code} in system ${coding.system}`, path);
  }
}

/** Codings of an element that allows only `known` (and, when given, a `refused` one). */
function checkCodings(
  codings: Coding[],
  known: Coding,
  path: PropertyKey[],
  issues: Issues,
  refused?: { coding: Coding; why: string },
) {
  codings.forEach((coding, i) => {
    if (refused && key(coding) === key(refused.coding))
      issues.add('business-rule', refused.why, [...path, i]);
    else if (key(coding) !== key(known)) issues.unknownCode(coding, [...path, i]);
  });
}

function patientPseudonym(reference: string, baseUrl: string): string | null {
  const pseudonym = referencedPseudonym(reference);
  if (!pseudonym) return null;
  // A relative reference is ours; an absolute one only when it points at this server.
  const relative = reference === `Patient/${pseudonym}`;
  return relative || reference === `${baseUrl}/Patient/${pseudonym}` ? pseudonym : null;
}

function readRootExtensions(input: ConsentInput, issues: Issues) {
  const settings: Partial<Record<'askEachTime' | 'discoverable' | 'recontact', boolean>> = {};
  (input.extension ?? []).forEach((ext, i) => {
    const setting = (ROOT_SETTINGS as Record<string, keyof typeof settings | undefined>)[ext.url];
    if (!setting) issues.add('not-supported', `Unknown extension ${ext.url}`, ['extension', i]);
    else if (setting in settings)
      issues.add('business-rule', `Extension ${ext.url} given twice`, ['extension', i]);
    else settings[setting] = ext.valueBoolean;
  });
  return settings;
}

/** A MONDO id as the ontology writes it. */
const MONDO_ID = /^MONDO:\d{7}$/;

/**
 * The diseases a DS provision names, each with the provision's answer: every code must be a
 * MONDO disease, the provision's only purpose DS, and a disease named twice must get one answer.
 */
function readDiseaseCodes(
  provision: { purpose: Coding[]; code: { coding: Coding[] }[] },
  choice: ConsentChoice,
  path: PropertyKey[],
  diseases: Map<string, ConsentChoice>,
  issues: Issues,
) {
  const onlyDs = provision.purpose.every((c) => SCOPE_BY_CODING.get(key(c)) === 'DS');
  if (!onlyDs)
    issues.add(
      'business-rule',
      'Only a disease-specific research (DS) provision names diseases: give the diseases their own DS provision',
      [...path, 'purpose'],
    );
  provision.code.forEach((concept, i) =>
    concept.coding.forEach((coding, j) => {
      const at = [...path, 'code', i, 'coding', j];
      if (coding.system !== SYSTEMS.mondo || !MONDO_ID.test(coding.code ?? ''))
        return issues.add(
          'code-invalid',
          `Diseases are MONDO codes (${SYSTEMS.mondo}, MONDO:nnnnnnn), not ${coding.code} in system ${coding.system}`,
          at,
        );
      const earlier = diseases.get(coding.code!);
      if (earlier && earlier !== choice)
        issues.add(
          'business-rule',
          `Disease ${coding.code} is given two different answers (${earlier}, ${choice})`,
          at,
        );
      diseases.set(coding.code!, choice);
    }),
  );
}

/** The answer of each purpose the nested provisions name, and of each disease DS ones name. */
function readScopeProvisions(input: ConsentInput, issues: Issues) {
  const answers = new Map<ConsentScope, ConsentChoice>();
  const diseases = new Map<string, ConsentChoice>();
  (input.provision.provision ?? []).forEach((provision, i) => {
    // Per-study decisions are answered in the study's consent request, not recorded from here.
    if (!('purpose' in provision)) return;
    const path = ['provision', 'provision', i];
    let ask = false;
    (provision.extension ?? []).forEach((ext, j) => {
      if (ext.url === EXTENSIONS.askEachTime) ask = ext.valueBoolean;
      else issues.add('not-supported', `Unknown extension ${ext.url}`, [...path, 'extension', j]);
    });
    // "Ask me" is a deny until asked; a permit that also says "ask" contradicts itself.
    if (ask && provision.type === 'permit')
      issues.add('business-rule', 'ask-each-time is only meaningful on a deny', [...path, 'type']);
    const choice: ConsentChoice = provision.type === 'permit' ? 'permit' : ask ? 'ask' : 'deny';
    // A named disease refines DS for that disease and those below it; it is not DS's answer.
    if (provision.code) {
      readDiseaseCodes({ ...provision, code: provision.code }, choice, path, diseases, issues);
      return;
    }
    provision.purpose.forEach((coding, j) => {
      const scope = SCOPE_BY_CODING.get(key(coding));
      if (!scope) return issues.unknownCode(coding, [...path, 'purpose', j]);
      const earlier = answers.get(scope);
      if (earlier && earlier !== choice)
        issues.add(
          'business-rule',
          `Purpose ${coding.code} is given two different answers (${earlier}, ${choice})`,
          [...path, 'purpose', j],
        );
      answers.set(scope, choice);
    });
  });
  return { answers, diseases };
}

/**
 * Reads a Consent back into standing preferences: the inverse of `toFhirConsent`. Each nested
 * provision answers the purposes it names (permit; deny; deny with ask-each-time = ask). An
 * unnamed HMB or DS inherits the nearest named level above it (nested purposes). Any other
 * purpose not named takes the base `provision.type`, as FHIR reads exceptions — but only a deny:
 * a base permit would grant every unnamed purpose, commercial use included, by omission, and
 * Consentome never infers a permission. Unknown codes, unknown extensions and contradictions are
 * refused with a 422 naming each one; status other than active and an opt-out policy are refused
 * because withdrawal is a separate, deliberate act (`withdrawConsent`).
 */
export function consentStatement(input: ConsentInput, baseUrl: string): ConsentStatement {
  const issues = new Issues();
  if (input.status !== 'active')
    issues.add(
      'business-rule',
      `Only an active Consent can be recorded (status ${input.status}); withdraw in the portal`,
      ['status'],
    );
  checkCodings(input.scope.coding, RESEARCH_SCOPE, ['scope', 'coding'], issues);
  input.category.forEach((c, i) =>
    checkCodings(c.coding, PATIENT_CONSENT_CATEGORY, ['category', i, 'coding'], issues),
  );
  checkCodings(input.policyRule?.coding ?? [], OPT_IN, ['policyRule', 'coding'], issues, {
    coding: OPT_OUT,
    why: 'Opting out is withdrawal, a separate act: withdraw in the portal',
  });
  const pseudonym = patientPseudonym(input.patient.reference, baseUrl);
  if (!pseudonym)
    issues.add('invalid', 'patient.reference must be Patient/<pseudonym>', [
      'patient',
      'reference',
    ]);
  const settings = readRootExtensions(input, issues);
  const { answers, diseases } = readScopeProvisions(input, issues);
  const unnamed = CONSENT_SCOPES.filter((s) => !answers.has(s));
  if (input.provision.type === 'permit' && unnamed.length)
    issues.add(
      'business-rule',
      `A base permit would grant purposes it does not name (${unnamed.map((s) => scopeCoding(s).code).join(', ')}); name each one or make the base a deny`,
      ['provision', 'type'],
    );
  if (issues.list.length)
    throw new FhirRequestError(422, 'processing', 'Consent not accepted', issues.list);
  // Nested purposes (docs/consent-precedence.md): an unnamed narrower level of GRU ⊇ HMB ⊇ DS
  // inherits the nearest named level above it ("permit HMB" covers disease research too);
  // anything else unnamed is a deny.
  const inherited = (s: ConsentScope): ConsentChoice | undefined =>
    s === 'HMB'
      ? answers.get('GRU')
      : s === 'DS'
        ? (answers.get('HMB') ?? answers.get('GRU'))
        : undefined;
  const purposes = Object.fromEntries(
    CONSENT_SCOPES.map((s) => [s, answers.get(s) ?? inherited(s) ?? 'deny']),
  ) as Record<ConsentScope, ConsentChoice>;
  return {
    pseudonym: pseudonym!,
    purposes,
    ...(diseases.size > 0
      ? { diseases: [...diseases].map(([id, choice]) => ({ id, choice })) }
      : {}),
    ...settings,
  };
}
