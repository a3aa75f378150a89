import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { inTransaction } from '../../graphql/run.js';
import { NotFoundError } from '../../errors/app-errors.js';
import {
  ACCESS_REQUEST_SECTIONS,
  SECTION_NAMES,
  type AccessRequestSection,
} from './access-request-sections.js';
import { hasRole } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { requestPdfPath, mayReadRequestFile } from './request-file-access.js';
import {
  applicationGaps,
  collaborationInvitations,
  collaboratorsOf,
  confirmCollaboration,
  saveAccessRequestSection,
  savedSections,
  type ApplicationGap,
  type CollaboratorRow,
  type SavedSections,
} from './access-request.service.js';
import { StudyType } from './studies.types.js';

const upper = (s: string) => s.replace(/([A-Z])/g, '_$1').toUpperCase();

export const AccessRequestSectionEnum = builder.enumType('AccessRequestSection', {
  description: 'The sections of a full data access request, in the order the form shows them.',
  values: Object.fromEntries(SECTION_NAMES.map((s) => [upper(s), { value: s }])) as Record<
    string,
    { value: AccessRequestSection }
  >,
});

interface SectionState {
  section: AccessRequestSection;
  data: Record<string, unknown> | null;
  gap: ApplicationGap | undefined;
}

const SectionStateType = builder.objectRef<SectionState>('AccessRequestSectionState').implement({
  fields: (t) => ({
    section: t.field({ type: AccessRequestSectionEnum, resolve: (s) => s.section }),
    title: t.string({ resolve: (s) => ACCESS_REQUEST_SECTIONS[s.section].title }),
    complete: t.boolean({ resolve: (s) => !s.gap }),
    data: t.field({ type: 'JSON', nullable: true, resolve: (s) => s.data }),
    problems: t.stringList({
      description: 'What keeps the section from being complete (empty when complete).',
      resolve: (s) => s.gap?.issues.map((i) => i.message) ?? [],
    }),
  }),
});

const CollaboratorType = builder.objectRef<CollaboratorRow>('StudyCollaborator').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    email: t.exposeString('email'),
    institution: t.exposeString('institution'),
    hasAccount: t.boolean({ resolve: (c) => c.userId !== null }),
    confirmedAt: t.expose('confirmedAt', { type: 'DateTime', nullable: true }),
  }),
});

interface Application {
  studyId: string;
  sections: SectionState[];
  collaborators: CollaboratorRow[];
}

const ApplicationType = builder.objectRef<Application>('AccessRequestApplication').implement({
  description: 'The full data access request: its sections, how far it is and its collaborators.',
  fields: (t) => ({
    sections: t.field({ type: [SectionStateType], resolve: (a) => a.sections }),
    completeSections: t.int({ resolve: (a) => a.sections.filter((s) => !s.gap).length }),
    totalSections: t.int({ resolve: (a) => a.sections.length }),
    collaborators: t.field({ type: [CollaboratorType], resolve: (a) => a.collaborators }),
    pdfPath: t.string({
      description:
        'Where the requester, the deciding committees and the institution’s signing officials download it as a PDF.',
      resolve: (a) => requestPdfPath(a.studyId),
    }),
  }),
});

builder.objectField(StudyType, 'application', (t) =>
  t.field({
    type: ApplicationType,
    nullable: true,
    description:
      'The full request, for its requester, the members of the committees deciding it and the signing officials of the requester’s institution (each official’s read is audited); null for anyone else.',
    resolve: (study, _args, ctx) =>
      inTransaction(ctx, async (tx) => {
        try {
          await mayReadRequestFile(tx, ctx.viewer, study.id, { documents: false });
        } catch (error) {
          if (error instanceof NotFoundError) return null;
          throw error;
        }
        // The institution reads on the researcher's behalf: its reads are recorded.
        if (hasRole(ctx.viewer, 'signing_official'))
          await appendAuditEvent(tx, ctx.viewer, {
            action: 'study.application.read',
            targetType: 'study',
            targetId: study.id,
          });
        const saved: SavedSections = await savedSections(tx, study.id);
        const gaps = await applicationGaps(tx, study);
        return {
          studyId: study.id,
          sections: SECTION_NAMES.map((section) => ({
            section,
            data: saved[section] ?? null,
            gap: gaps.find((g) => g.section === section),
          })),
          collaborators: await collaboratorsOf(tx, study.id),
        };
      }),
  }),
);

roleGatedWrite('saveAccessRequestSection', {
  type: StudyType,
  description:
    'Saves one section of your draft’s full request; it must validate (field errors name `<section>.<field>`), else nothing is saved.',
  roles: ['researcher'],
  args: (t) => ({
    studyId: t.arg.id(),
    section: t.arg({ type: AccessRequestSectionEnum }),
    data: t.arg({ type: 'JSON' }),
  }),
  audit: ({ studyId }) => ({
    action: 'study.application.save',
    targetType: 'study',
    targetId: studyId,
  }),
  run: (tx, viewer, { studyId, section, data }) =>
    saveAccessRequestSection(tx, viewer, String(studyId), section, data),
});

const InvitationType = builder
  .objectRef<{ studyId: string; title: string; confirmedAt: Date | null }>(
    'CollaborationInvitation',
  )
  .implement({
    fields: (t) => ({
      studyId: t.exposeID('studyId'),
      title: t.exposeString('title'),
      confirmedAt: t.expose('confirmedAt', { type: 'DateTime', nullable: true }),
    }),
  });

roleGatedRead('collaborationInvitations', {
  type: [InvitationType],
  description: 'Draft requests that name you as a collaborator (researchers).',
  roles: ['researcher'],
  run: (tx, viewer) => collaborationInvitations(tx, viewer),
});

roleGatedWrite('confirmCollaboration', {
  type: InvitationType,
  description: 'Confirms you take part in a draft request that names you as a collaborator.',
  roles: ['researcher'],
  args: (t) => ({ studyId: t.arg.id() }),
  audit: ({ studyId }) => ({
    action: 'study.collaboration.confirm',
    targetType: 'study',
    targetId: studyId,
  }),
  run: (tx, viewer, { studyId }) => confirmCollaboration(tx, viewer, String(studyId)),
});
