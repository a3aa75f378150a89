import type { Consent } from '@medplum/fhirtypes';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  askedParticipants,
  openAccessFixture,
  submittedStudy,
  type AccessFixture,
  answerRequest,
} from '../../test/access-fixture.js';
import { fhirSchemaErrors } from '../../test/fhir-schema-validator.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { preferenceHistory } from '../consent/consent.service.js';
import { participants } from '../participants/participants.tables.js';
import { fhirRoute } from './fhir.route.js';
import { SYSTEMS } from './fhir-systems.js';

describe(`per-study decisions as nested Consent provisions (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  beforeAll(async () => {
    f = await openAccessFixture();
  }, 180_000);
  afterAll(() => f.dispose());

  it('shows each study decision as a nested provision coded by study, keeps history per version, and accepts the resource posted back without recording a study decision from it', async () => {
    const route = fhirRoute(f.db.db);
    const studyId = await submittedStudy(f);
    const [p] = await askedParticipants(f, studyId, 1);
    const [row] = await f.db.db
      .select()
      .from(participants)
      .where(eq(participants.id, p!.participantId));
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await route.handler(
        new Request(`http://fhir.test/fhir${path}`, {
          ...init,
          headers: { authorization: `Bearer ${p!.token}`, ...(init.headers ?? {}) },
        }),
        {},
      );
      return { status: res.status, body: (await res.json()) as Consent };
    };
    const studyProvisions = (c: Consent) =>
      (c.provision?.provision ?? []).filter(
        (n) => n.code?.[0]?.coding?.[0]?.system === SYSTEMS.study,
      );

    expect(studyProvisions((await call(`/Consent/${row!.pseudonym}`)).body)).toEqual([]);
    await answerRequest(f, p!, 'PERMIT');
    const read = await call(`/Consent/${row!.pseudonym}`);
    expect(read.status).toBe(200);
    expect(fhirSchemaErrors(read.body)).toEqual([]);
    expect(studyProvisions(read.body)).toEqual([
      expect.objectContaining({
        type: 'permit',
        code: [{ coding: [expect.objectContaining({ code: studyId })] }],
      }),
    ]);

    // Posted back as read: accepted, a new preference version, the study decision untouched.
    const before = (await preferenceHistory(f.db.db as never, row!.id))[0]!.version;
    const posted = await call('/Consent', {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(read.body),
    });
    expect(posted.status).toBe(201);
    expect(studyProvisions(posted.body)).toHaveLength(1);
    expect((await preferenceHistory(f.db.db as never, row!.id))[0]!.version).toBe(before + 1);

    // A change of mind shows at once; once a later version exists, the earlier one keeps
    // the decision in force when it was recorded.
    await answerRequest(f, p!, 'DENY');
    expect(studyProvisions((await call(`/Consent/${row!.pseudonym}`)).body)[0]?.type).toBe('deny');
    const again = await call('/Consent', {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(read.body),
    });
    expect(studyProvisions(again.body)[0]?.type).toBe('deny');
    const old = await call(`/Consent/${row!.pseudonym}/_history/${before + 1}`);
    expect(old.status).toBe(200);
    expect(studyProvisions(old.body)[0]?.type).toBe('permit');
  });
});
