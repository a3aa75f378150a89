import type { Consent } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { PreferenceVersion } from '../consent/consent.service.js';
import {
  CONSENT_CHOICES,
  CONSENT_SCOPES,
  type ConsentChoice,
  type ConsentScope,
} from '../consent/preferences.js';
import type { ParticipantRow } from './fhir-access.js';
import { parseConsentInput } from './fhir-consent-input.js';
import { consentStatement } from './fhir-consent-statement.js';
import { toFhirConsent } from './fhir-consent.js';
import { FhirRequestError } from './fhir-http.js';

const BASE = 'https://consentome.test/fhir';
const participant = {
  pseudonym: 'P-TEST01',
  status: 'active',
  createdAt: new Date('2026-01-01T00:00:00Z'),
} as ParticipantRow;

/** Every one of the 3^6 combinations of answers, with the settings varied alongside. */
function* everyVersion(): Generator<PreferenceVersion> {
  const total = CONSENT_CHOICES.length ** CONSENT_SCOPES.length;
  for (let n = 0; n < total; n += 1) {
    const purposes = {} as Record<ConsentScope, ConsentChoice>;
    CONSENT_SCOPES.forEach((scope, i) => {
      purposes[scope] = CONSENT_CHOICES[Math.floor(n / 3 ** i) % 3]!;
    });
    yield {
      version: 1,
      createdAt: new Date(),
      purposes,
      askEachTime: n % 2 === 0,
      discoverable: n % 3 === 0,
      recontact: n % 5 === 0,
    };
  }
}

function refusal(document: unknown): FhirRequestError {
  try {
    consentStatement(parseConsentInput(document), BASE);
  } catch (error) {
    if (error instanceof FhirRequestError) return error;
    throw error;
  }
  throw new Error('accepted');
}

const gru = { system: 'http://purl.obolibrary.org/obo/duo', code: 'DUO:0000042' };
const minimal = (provision: Consent['provision']) => ({
  resourceType: 'Consent',
  status: 'active',
  scope: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'research' }],
  },
  category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
  patient: { reference: 'Patient/P-TEST01' },
  provision,
});

describe('reading a Consent back into preferences', () => {
  it('is the inverse of toFhirConsent for every combination of answers', () => {
    for (const version of everyVersion()) {
      const resource = JSON.parse(JSON.stringify(toFhirConsent(participant, version, true)));
      const statement = consentStatement(parseConsentInput(resource), BASE);
      expect(statement).toEqual({
        pseudonym: 'P-TEST01',
        purposes: version.purposes,
        askEachTime: version.askEachTime,
        discoverable: version.discoverable,
        recontact: version.recontact,
      });
    }
  });

  it('reads unnamed purposes under a base deny as deny, except that health and disease research follow a permitted "all research" that contains them; absent settings unchanged', () => {
    const statement = consentStatement(
      parseConsentInput(minimal({ type: 'deny', provision: [{ type: 'permit', purpose: [gru] }] })),
      BASE,
    );
    expect(statement).toEqual({
      pseudonym: 'P-TEST01',
      purposes: {
        GRU: 'permit',
        HMB: 'permit',
        DS: 'permit',
        POA: 'deny',
        METHODS: 'deny',
        COMMERCIAL: 'deny',
      },
    });
  });

  it('accepts an absolute patient reference only on this server', () => {
    const ours = { ...minimal({ type: 'deny' }), patient: { reference: `${BASE}/Patient/P-X` } };
    expect(consentStatement(parseConsentInput(ours), BASE).pseudonym).toBe('P-X');
    const theirs = { ...ours, patient: { reference: 'https://elsewhere.test/fhir/Patient/P-X' } };
    expect(refusal(theirs).issues[0]!.expression).toEqual(['Consent.patient.reference']);
  });

  it('never infers a permission: a base permit must name every purpose', () => {
    const error = refusal(
      minimal({ type: 'permit', provision: [{ type: 'permit', purpose: [gru] }] }),
    );
    expect(error.status).toBe(422);
    expect(error.issues.map((i) => i.expression?.[0])).toEqual(['Consent.provision.type']);
    expect(error.issues[0]!.diagnostics).toContain('DUO:0000006');
  });

  it('names every unknown code, extension and contradiction at once', () => {
    const error = refusal({
      ...minimal({
        type: 'deny',
        provision: [
          {
            type: 'permit',
            purpose: [gru, { system: 'http://purl.obolibrary.org/obo/duo', code: 'DUO:0000046' }],
          },
          { type: 'deny', purpose: [gru, { system: 'http://snomed.info/sct', code: '123' }] },
          {
            type: 'permit',
            extension: [
              {
                url: 'https://consentome.example/fhir/StructureDefinition/ask-each-time',
                valueBoolean: true,
              },
            ],
            purpose: [{ system: 'http://purl.obolibrary.org/obo/duo', code: 'DUO:0000006' }],
          },
        ],
      }),
      extension: [{ url: 'https://elsewhere.test/x', valueBoolean: true }],
      status: 'inactive',
      policyRule: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTOUT' }],
      },
    });
    const text = error.issues.map((i) => `${i.code} ${i.expression?.[0]} ${i.diagnostics}`);
    expect(text).toEqual([
      'business-rule Consent.status Only an active Consent can be recorded (status inactive); withdraw in the portal',
      'business-rule Consent.policyRule.coding[0] Opting out is withdrawal, a separate act: withdraw in the portal',
      'not-supported Consent.extension[0] Unknown extension https://elsewhere.test/x',
      'code-invalid Consent.provision.provision[0].purpose[1] Unknown code DUO:0000046 in system http://purl.obolibrary.org/obo/duo',
      'business-rule Consent.provision.provision[1].purpose[0] Purpose DUO:0000042 is given two different answers (permit, deny)',
      'code-invalid Consent.provision.provision[1].purpose[1] Unknown code 123 in system http://snomed.info/sct',
      'business-rule Consent.provision.provision[2].type ask-each-time is only meaningful on a deny',
    ]);
  });

  it('refuses elements it does not understand, naming each', () => {
    const error = (() => {
      try {
        parseConsentInput({
          ...minimal({ type: 'deny', provision: [{ type: 'permit', purpose: [gru], actor: [] }] }),
          text: { status: 'generated', div: '<div/>' },
        });
      } catch (e) {
        return e as FhirRequestError;
      }
      throw new Error('accepted');
    })();
    expect(error.status).toBe(422);
    expect(error.issues.map((i) => `${i.code} ${i.expression?.[0]}`).sort()).toEqual([
      'not-supported Consent.provision.provision[0].actor',
      'not-supported Consent.text',
    ]);
  });
});

describe('nested purposes in FHIR', () => {
  const version: PreferenceVersion = {
    version: 3,
    createdAt: new Date('2026-05-01T00:00:00Z'),
    purposes: {
      GRU: 'ask',
      HMB: 'permit',
      DS: 'permit',
      POA: 'ask',
      METHODS: 'ask',
      COMMERCIAL: 'deny',
    },
    diseases: [{ id: 'MONDO:0002025', choice: 'deny' }],
    askEachTime: false,
    discoverable: true,
    recontact: false,
  };

  it('lists each named disease as a DS provision coded with the MONDO disease', () => {
    const resource = toFhirConsent(participant, version, true);
    const disease = resource.provision?.provision?.find((p) => p.code);
    expect(disease).toEqual({
      type: 'deny',
      purpose: [
        {
          system: 'http://purl.obolibrary.org/obo/duo',
          code: 'DUO:0000007',
          display: expect.any(String),
        },
      ],
      code: [
        { coding: [{ system: 'http://purl.obolibrary.org/obo/mondo.owl', code: 'MONDO:0002025' }] },
      ],
    });
  });

  it('reads disease provisions back into the per-disease choices, beside the DS answer', () => {
    const resource = JSON.parse(
      JSON.stringify(
        toFhirConsent(
          participant,
          {
            ...version,
            diseases: [
              { id: 'MONDO:0002025', choice: 'deny' },
              { id: 'MONDO:0005090', choice: 'ask' },
              { id: 'MONDO:0005575', choice: 'permit' },
            ],
          },
          true,
        ),
      ),
    );
    const statement = consentStatement(parseConsentInput(resource), BASE);
    expect(statement.purposes).toEqual(version.purposes);
    expect(statement.diseases).toEqual([
      { id: 'MONDO:0002025', choice: 'deny' },
      { id: 'MONDO:0005090', choice: 'ask' },
      { id: 'MONDO:0005575', choice: 'permit' },
    ]);
    // A Consent naming no disease leaves them out, so the ones recorded are kept.
    const plain = consentStatement(
      parseConsentInput(minimal({ type: 'deny', provision: [{ type: 'permit', purpose: [gru] }] })),
      BASE,
    );
    expect(plain.diseases).toBeUndefined();
  });

  it('refuses disease codes that are not MONDO, diseases under another purpose and a disease given two answers, naming each', () => {
    const ds = { system: 'http://purl.obolibrary.org/obo/duo', code: 'DUO:0000007' };
    const hmb = { system: 'http://purl.obolibrary.org/obo/duo', code: 'DUO:0000006' };
    const mondo = (code: string) => ({
      coding: [{ system: 'http://purl.obolibrary.org/obo/mondo.owl', code }],
    });
    const error = refusal(
      minimal({
        type: 'deny',
        provision: [
          { type: 'permit', purpose: [gru] },
          { type: 'deny', purpose: [ds], code: [mondo('MONDO:0002025')] },
          { type: 'permit', purpose: [ds], code: [mondo('MONDO:0002025')] },
          {
            type: 'deny',
            purpose: [ds],
            code: [{ coding: [{ system: 'http://snomed.info/sct', code: '74732009' }] }],
          },
          { type: 'deny', purpose: [hmb], code: [mondo('MONDO:0005090')] },
          { type: 'deny', purpose: [ds], code: [mondo('psychiatric')] },
        ],
      }),
    );
    expect(error.status).toBe(422);
    expect(error.issues.map((i) => [i.code, i.expression![0]])).toEqual([
      ['business-rule', 'Consent.provision.provision[2].code[0].coding[0]'],
      ['code-invalid', 'Consent.provision.provision[3].code[0].coding[0]'],
      ['business-rule', 'Consent.provision.provision[4].purpose'],
      ['code-invalid', 'Consent.provision.provision[5].code[0].coding[0]'],
    ]);
    expect(error.issues[0]!.diagnostics).toBe(
      'Disease MONDO:0002025 is given two different answers (deny, permit)',
    );
    expect(error.issues[1]!.diagnostics).toContain('Diseases are MONDO codes');
  });
});
