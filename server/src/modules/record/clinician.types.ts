import { builder } from '../../builder.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import {
  addCareTeamMember,
  createCareTeam,
  listCareTeams,
  removeCareTeamMember,
  type CareTeamView,
} from './care-team.service.js';
import {
  authoriseCareTeam,
  authoriseClinician,
  myClinicianAuthorisations,
  revokeClinician,
  type ClinicianAuthorisationView,
} from './clinician-authorisation.service.js';
import {
  authorisedPatients,
  clinicianAddCondition,
  clinicianAddMeasurement,
  clinicianReadRecord,
  type AuthorisedPatient,
} from './clinician-record.service.js';
import {
  ConditionInput,
  MeasurementInput,
  RecordEntryRefType,
  RecordEntryType,
} from './record.types.js';

const CareTeamRefType = builder.objectRef<{ id: string; name: string }>('CareTeamRef').implement({
  fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name') }),
});

const CareTeamMemberType = builder
  .objectRef<CareTeamView['members'][number]>('CareTeamMember')
  .implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      email: t.exposeString('email', {
        nullable: true,
        description: 'Shown to administrators only.',
      }),
    }),
  });

const CareTeamType = builder.objectRef<CareTeamView>('CareTeam').implement({
  description:
    'Clinicians of one institution who look after patients together. Administrators manage the members; a participant may authorise the whole team.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    institution: t.exposeString('institution'),
    members: t.field({
      type: [CareTeamMemberType],
      description: 'Its members now.',
      resolve: (team) => team.members,
    }),
  }),
});

const ClinicianAuthorisationType = builder
  .objectRef<ClinicianAuthorisationView>('ClinicianAuthorisation')
  .implement({
    description: 'Your permission for a clinician to read and/or add to your record.',
    fields: (t) => ({
      id: t.exposeID('id'),
      clinicianName: t.exposeString('clinicianName', {
        nullable: true,
        description: 'The named clinician (null when you authorised a care team).',
      }),
      clinicianEmail: t.exposeString('clinicianEmail', { nullable: true }),
      careTeam: t.field({
        type: CareTeamRefType,
        nullable: true,
        description: 'The care team you authorised (null when you named a clinician).',
        resolve: (a) => a.careTeam,
      }),
      institution: t.exposeString('institution', { nullable: true }),
      canRead: t.exposeBoolean('canRead'),
      canAppend: t.exposeBoolean('canAppend'),
      startsAt: t.expose('startsAt', { type: 'DateTime' }),
      endsAt: t.expose('endsAt', { type: 'DateTime' }),
      revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
      active: t.exposeBoolean('active'),
    }),
  });

const AuthorisedPatientType = builder.objectRef<AuthorisedPatient>('AuthorisedPatient').implement({
  description: 'A participant who authorises you now.',
  fields: (t) => ({
    pseudonym: t.exposeString('pseudonym', {
      description: 'Their enrolment id (FHIR Patient id).',
    }),
    canRead: t.exposeBoolean('canRead'),
    canAppend: t.exposeBoolean('canAppend'),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
  }),
});

const AuthoriseClinicianInput = builder.inputType('AuthoriseClinicianInput', {
  fields: (t) => ({
    clinicianEmail: t.string(),
    canRead: t.boolean(),
    canAppend: t.boolean(),
    until: t.string({ description: 'The last day (ISO date) the clinician may act.' }),
  }),
});

const AuthoriseCareTeamInput = builder.inputType('AuthoriseCareTeamInput', {
  fields: (t) => ({
    careTeamId: t.id(),
    canRead: t.boolean(),
    canAppend: t.boolean(),
    until: t.string({ description: 'The last day (ISO date) the team’s members may act.' }),
  }),
});

const CareTeamMemberInput = builder.inputType('CareTeamMemberInput', {
  fields: (t) => ({ teamId: t.id(), clinicianEmail: t.string() }),
});

const AuthorisationRefType = builder
  .objectRef<{ id: string; endsAt?: Date; revokedAt?: Date }>('ClinicianAuthorisationRef')
  .implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      endsAt: t.expose('endsAt', { type: 'DateTime', nullable: true }),
      revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    }),
  });

builder.queryField('myClinicians', (t) =>
  t.field({
    type: [ClinicianAuthorisationType],
    description: 'The clinicians you authorised, active and past.',
    authScopes: { roles: ['participant'] },
    resolve: (_root, _args, ctx) =>
      inTransaction(ctx, (tx) => myClinicianAuthorisations(tx, ctx.viewer)),
  }),
);

builder.mutationField('authoriseClinician', (t) =>
  t.field({
    type: AuthorisationRefType,
    description: 'Lets a named clinician read and/or add to your record until a day you choose.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: AuthoriseClinicianInput }) },
    resolve: (_root, { input }, ctx) =>
      inTransaction(ctx, (tx) => authoriseClinician(tx, ctx.viewer, input)),
  }),
);

builder.mutationField('authoriseCareTeam', (t) =>
  t.field({
    type: AuthorisationRefType,
    description:
      'Lets a care team read and/or add to your record until a day you choose: whoever is a member when they act.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: AuthoriseCareTeamInput }) },
    resolve: (_root, { input }, ctx) =>
      inTransaction(ctx, (tx) =>
        authoriseCareTeam(tx, ctx.viewer, { ...input, careTeamId: String(input.careTeamId) }),
      ),
  }),
);

builder.queryField('careTeams', (t) =>
  t.field({
    type: [CareTeamType],
    description: 'The care teams, by institution, with their members now.',
    authScopes: { roles: ['participant', 'clinician', 'admin'] },
    resolve: (_root, _args, ctx) => inTransaction(ctx, (tx) => listCareTeams(tx, ctx.viewer)),
  }),
);

const CareTeamIdType = builder.objectRef<{ id: string }>('CareTeamId').implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});

builder.mutationField('createCareTeam', (t) =>
  t.field({
    type: CareTeamIdType,
    description: 'An administrator sets up a care team at an institution. Audited.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { name: t.arg.string(), institution: t.arg.string() },
    resolve: (_root, args, ctx) => inTransaction(ctx, (tx) => createCareTeam(tx, ctx.viewer, args)),
  }),
);

builder.mutationField('addCareTeamMember', (t) =>
  t.field({
    type: CareTeamIdType,
    description:
      'An administrator adds a clinician of the team’s institution to a care team. Audited.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CareTeamMemberInput }) },
    resolve: (_root, { input }, ctx) =>
      inTransaction(ctx, (tx) =>
        addCareTeamMember(tx, ctx.viewer, { ...input, teamId: String(input.teamId) }),
      ),
  }),
);

builder.mutationField('removeCareTeamMember', (t) =>
  t.field({
    type: CareTeamIdType,
    description:
      'An administrator removes a clinician from a care team: their access through it ends at once. Audited.',
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CareTeamMemberInput }) },
    resolve: (_root, { input }, ctx) =>
      inTransaction(ctx, (tx) =>
        removeCareTeamMember(tx, ctx.viewer, { ...input, teamId: String(input.teamId) }),
      ),
  }),
);

builder.mutationField('revokeClinician', (t) =>
  t.field({
    type: AuthorisationRefType,
    description: 'Ends a clinician’s (or a care team’s) access to your record at once.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { authorisationId: t.arg.id() },
    resolve: (_root, { authorisationId }, ctx) =>
      inTransaction(ctx, (tx) => revokeClinician(tx, ctx.viewer, String(authorisationId))),
  }),
);

builder.queryField('authorisedPatients', (t) =>
  t.field({
    type: [AuthorisedPatientType],
    description: 'The participants who authorise you now.',
    authScopes: { roles: ['clinician'] },
    resolve: (_root, _args, ctx) => inTransaction(ctx, (tx) => authorisedPatients(tx, ctx.viewer)),
  }),
);

builder.queryField('patientRecord', (t) =>
  t.field({
    type: [RecordEntryType],
    description:
      'A participant’s record, while they authorise you to read it (on their timeline; private notes never shown).',
    authScopes: { roles: ['clinician'] },
    errors: { types: WRITE_ERRORS },
    args: { pseudonym: t.arg.string() },
    resolve: (_root, { pseudonym }, ctx) =>
      inTransaction(ctx, (tx) => clinicianReadRecord(tx, ctx.viewer, pseudonym)),
  }),
);

builder.mutationField('appendConditionForPatient', (t) =>
  t.field({
    type: RecordEntryRefType,
    description: 'Adds a condition to a participant’s record while they authorise you to append.',
    authScopes: { roles: ['clinician'] },
    errors: { types: WRITE_ERRORS },
    args: { pseudonym: t.arg.string(), input: t.arg({ type: ConditionInput }) },
    resolve: (_root, { pseudonym, input }, ctx) =>
      inTransaction(ctx, (tx) => clinicianAddCondition(tx, ctx.viewer, pseudonym, input)),
  }),
);

builder.mutationField('appendMeasurementForPatient', (t) =>
  t.field({
    type: RecordEntryRefType,
    description: 'Adds a measurement to a participant’s record while they authorise you to append.',
    authScopes: { roles: ['clinician'] },
    errors: { types: WRITE_ERRORS },
    args: { pseudonym: t.arg.string(), input: t.arg({ type: MeasurementInput }) },
    resolve: (_root, { pseudonym, input }, ctx) =>
      inTransaction(ctx, (tx) => clinicianAddMeasurement(tx, ctx.viewer, pseudonym, input)),
  }),
);
