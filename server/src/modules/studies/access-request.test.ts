import { and, eq, sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_PUBLIC_URL,
  mutate,
  openAccessFixture,
  type AccessFixture,
} from '../../test/access-fixture.js';
import { auditEventsWithAction } from '../../test/audit-rows.js';
import { loginAs, makeUser } from '../../test/test-api.js';
import { TEST_DRIVER } from '../../test/test-database.js';
import { exampleAccessRequest } from '../demo/demo-access-request.js';
import { notifications } from '../notifications/notifications.tables.js';
import { studyFilesRoute } from './study-files.route.js';
import { studyApplications } from './access-request.tables.js';
import { studies } from './studies.tables.js';

interface Application {
  completeSections: number;
  totalSections: number;
  sections: { section: string; complete: boolean; problems: string[]; data: unknown }[];
  collaborators: { email: string; hasAccount: boolean; confirmedAt: string | null }[];
}

const APPLICATION = `application { completeSections totalSections pdfPath
  sections { section complete problems data }
  collaborators { email hasAccount confirmedAt } }`;

describe(`the full data access request (${TEST_DRIVER})`, () => {
  let f: AccessFixture;
  let studyId: string;
  beforeAll(async () => {
    f = await openAccessFixture();
    const created = await mutate(f, f.tokens.researcher, 'createStudy(input: $input)', 'id', {
      input: {
        title: 'Lung function and “everyday” exposures',
        laySummary: 'We look at how air at home and at work relates to lung health over years.',
        purpose: { primary: 'HMB', commercial: false },
        cohortCriteria: { datasets: [f.panelId], sex: 'female', ageMin: 40, ageMax: 60 },
        datasetIds: [f.panelId],
      },
    });
    studyId = (created.data as { id: string }).id;
  }, 180_000);
  afterAll(() => f.dispose());

  const save = (section: string, data: unknown, token = f.tokens.researcher) =>
    mutate(
      f,
      token,
      'saveAccessRequestSection(studyId: $studyId, section: $section, data: $data)',
      'id',
      {
        studyId,
        section,
        data,
      },
    );
  const submit = () =>
    mutate(f, f.tokens.researcher, 'submitStudy(id: $id)', 'status', { id: studyId });
  const application = async (token = f.tokens.researcher) => {
    const res = await f.gql<{ study: { status: string; application: null | Application } }>(
      `query($id: ID!) { study(id: $id) { status ${APPLICATION} } }`,
      { id: studyId },
      { token },
    );
    expect(res.errors).toBeUndefined();
    return res.data!.study;
  };
  const pdf = (token?: string) =>
    studyFilesRoute(f.db.db).handler(
      new Request(`${FIXTURE_PUBLIC_URL}/api/studies/${studyId}/request.pdf`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }),
      {},
    );

  it('refuses a submission with nothing filled in, naming the first section, and changes nothing', async () => {
    const res = await submit();
    expect(res.code).toBe('VALIDATION');
    expect(res.message).toMatch(/“Research statement” is not filled in/);
    expect(res.fieldErrors!.map((e) => e.field)).toEqual([
      'research',
      'investigator',
      'collaborators',
      'labStaff',
      'security',
      'publication',
      'funding',
      'irb',
    ]);
    const study = await application();
    expect(study.status).toBe('DRAFT');
    expect(study.application!.completeSections).toBe(0);
    expect(study.application!.totalSections).toBe(8);
  });

  it('validates each section with per-field errors; a refused save keeps the section unsaved', async () => {
    const bad = await save('RESEARCH', { technicalStatement: 'too short' });
    expect(bad.code).toBe('VALIDATION');
    expect(bad.fieldErrors).toEqual([
      { field: 'research.technicalStatement', message: 'needs at least 100 characters' },
    ]);
    const pi = await save('INVESTIGATOR', {
      piName: 'D',
      piEmail: 'not-mail',
      institution: 'Demo U',
    });
    expect(pi.fieldErrors!.map((e) => e.field).sort()).toEqual([
      'investigator.piEmail',
      'investigator.piName',
    ]);
    const cloud = await save('SECURITY', { approvedCloud: null, itPlan: 'a lock' });
    expect(cloud.fieldErrors).toEqual([
      {
        field: 'security.itPlan',
        message:
          'describe your IT/security plan (at least 50 characters) or name an approved cloud',
      },
    ]);
    const sections = (await application()).application!.sections;
    expect(sections.every((s) => s.data === null)).toBe(true);
  });

  it('refuses an expired IRB approval when saved', async () => {
    const res = await save('IRB', { protocolNumber: 'IRB-1', expiresOn: '2020-01-31' });
    expect(res.fieldErrors).toEqual([
      { field: 'irb.expiresOn', message: 'is in the past: renew the approval first' },
    ]);
  });

  it('saves sections as a draft that can be resumed, with the progress counted', async () => {
    const example = exampleAccessRequest();
    for (const section of ['research', 'investigator', 'security'] as const)
      expect((await save(section.toUpperCase(), example[section])).__typename).toBe(
        'MutationSaveAccessRequestSectionSuccess',
      );
    const study = await application();
    expect(study.application!.completeSections).toBe(3);
    const research = study.application!.sections.find(
      (s: { section: string }) => s.section === 'RESEARCH',
    );
    expect(research).toMatchObject({ complete: true, data: example.research, problems: [] });
    const res = await submit();
    expect(res.message).toMatch(/“Collaborators” is not filled in/);
  });

  it('needs a collaborator with an account to confirm, and tells them', async () => {
    const colleague = await makeUser(f.db.db, 'researcher', 'Elsewhere Institute');
    const colleagueToken = await loginAs(f.gql, colleague);
    const saved = await save('COLLABORATORS', {
      collaborators: [
        {
          name: 'Sam Colleague',
          email: colleague.email.toUpperCase(),
          institution: 'Elsewhere Institute',
        },
        {
          name: 'No Account',
          email: 'nobody@elsewhere.example',
          institution: 'Elsewhere Institute',
        },
      ],
    });
    expect(saved.__typename).toBe('MutationSaveAccessRequestSectionSuccess');
    const told = await f.db.db
      .select({ kind: notifications.kind })
      .from(notifications)
      .where(eq(notifications.userId, colleague.id));
    expect(told.map((n) => n.kind)).toEqual(['collaboration_requested']);
    const example = exampleAccessRequest();
    for (const section of ['labStaff', 'publication', 'funding', 'irb'] as const)
      await save(section.replace(/([A-Z])/g, '_$1').toUpperCase(), example[section]);

    const waiting = await submit();
    expect(waiting.message).toMatch(/“Collaborators” Sam Colleague .* has not confirmed yet/);
    expect((await application()).status).toBe('DRAFT');

    // Someone not named cannot confirm; the named colleague can.
    const stranger = await loginAs(f.gql, await makeUser(f.db.db, 'researcher'));
    expect(
      (await mutate(f, stranger, 'confirmCollaboration(studyId: $studyId)', 'title', { studyId }))
        .code,
    ).toBe('NOT_FOUND');
    const invitations = await f.gql<{ collaborationInvitations: { studyId: string }[] }>(
      '{ collaborationInvitations { studyId title } }',
      {},
      { token: colleagueToken },
    );
    expect(invitations.data!.collaborationInvitations.map((i) => i.studyId)).toEqual([studyId]);
    const confirmed = await mutate(
      f,
      colleagueToken,
      'confirmCollaboration(studyId: $studyId)',
      'confirmedAt',
      {
        studyId,
      },
    );
    expect(confirmed.__typename).toBe('MutationConfirmCollaborationSuccess');
    // Listed in the order they were added, then by e-mail.
    const collaborators = (await application()).application!.collaborators;
    expect(collaborators).toEqual([
      { email: 'nobody@elsewhere.example', hasAccount: false, confirmedAt: null },
      { email: colleague.email, hasAccount: true, confirmedAt: expect.any(String) },
    ]);
    expect(await auditEventsWithAction(f.db.db, 'study.collaboration.confirm')).toHaveLength(1);
  });

  it('refuses a submission whose IRB approval lapsed since it was saved, then submits once renewed', async () => {
    // The approval ran out while the draft waited (written as time would have left it).
    await f.db.db
      .update(studyApplications)
      .set({
        sections: sql`jsonb_set(${studyApplications.sections}, '{irb,expiresOn}', '"2021-06-30"')`,
      })
      .where(eq(studyApplications.studyId, studyId));
    const lapsed = await submit();
    expect(lapsed.message).toMatch(/“IRB approval” the IRB approval has expired/);
    const [row] = await f.db.db.select().from(studies).where(eq(studies.id, studyId));
    expect(row!.status).toBe('draft');
    await save('IRB', exampleAccessRequest().irb);
    expect((await submit()).data).toEqual({ status: 'SUBMITTED' });
    // The submitted request is frozen.
    const late = await save('FUNDING', { source: 'Another council', grantNumber: '' });
    expect(late.code).toBe('CONFLICT');
  });

  it('shows the full request to the deciding committee, and to nobody else', async () => {
    const board = await application(f.tokens.ethics);
    expect(board.application!.completeSections).toBe(8);
    const admin = await application(f.tokens.admin);
    expect(admin.application).toBeNull();
  });

  it('prints the request as a PDF for the requester and the committee only, each print audited', async () => {
    const before = (await auditEventsWithAction(f.db.db, 'study.request_pdf.read')).length;
    const mine = await pdf(f.tokens.researcher);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toBe('application/pdf');
    const doc = await PDFDocument.load(new Uint8Array(await mine.arrayBuffer()));
    expect(doc.getTitle()).toBe('Data access request: Lung function and "everyday" exposures');
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
    expect((await pdf(f.tokens.ethics)).status).toBe(200);
    expect((await pdf(f.tokens.admin)).status).toBe(404);
    const stranger = await loginAs(f.gql, await makeUser(f.db.db, 'researcher'));
    expect((await pdf(stranger)).status).toBe(404);
    expect((await pdf()).status).toBe(401);
    const printed = await auditEventsWithAction(f.db.db, 'study.request_pdf.read');
    expect(printed.length - before).toBe(2);
    expect(
      await f.db.db
        .select()
        .from(studies)
        .where(and(eq(studies.id, studyId), eq(studies.status, 'submitted'))),
    ).toHaveLength(1);
  });
});
