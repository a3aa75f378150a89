import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
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

roleGatedRead('myClinicians', {
  type: [ClinicianAuthorisationType],
  description: 'The clinicians you authorised, active and past.',
  roles: ['participant'],
  run: (tx, viewer) => myClinicianAuthorisations(tx, viewer),
});

roleGatedWrite('authoriseClinician', {
  type: AuthorisationRefType,
  description: 'Lets a named clinician read and/or add to your record until a day you choose.',
  roles: ['participant'],
  args: (t) => ({ input: t.arg({ type: AuthoriseClinicianInput }) }),
  run: (tx, viewer, { input }) => authoriseClinician(tx, viewer, input),
});

roleGatedWrite('authoriseCareTeam', {
  type: AuthorisationRefType,
  description:
    'Lets a care team read and/or add to your record until a day you choose: whoever is a member when they act.',
  roles: ['participant'],
  args: (t) => ({ input: t.arg({ type: AuthoriseCareTeamInput }) }),
  run: (tx, viewer, { input }) =>
    authoriseCareTeam(tx, viewer, { ...input, careTeamId: String(input.careTeamId) }),
});

roleGatedRead('careTeams', {
  type: [CareTeamType],
  description: 'The care teams, by institution, with their members now.',
  roles: ['participant', 'clinician', 'admin'],
  run: (tx, viewer) => listCareTeams(tx, viewer),
});

const CareTeamIdType = builder.objectRef<{ id: string }>('CareTeamId').implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});

roleGatedWrite('createCareTeam', {
  type: CareTeamIdType,
  description: 'An administrator sets up a care team at an institution. Audited.',
  roles: ['admin'],
  args: (t) => ({ name: t.arg.string(), institution: t.arg.string() }),
  run: (tx, viewer, args) => createCareTeam(tx, viewer, args),
});

roleGatedWrite('addCareTeamMember', {
  type: CareTeamIdType,
  description:
    'An administrator adds a clinician of the team’s institution to a care team. Audited.',
  roles: ['admin'],
  args: (t) => ({ input: t.arg({ type: CareTeamMemberInput }) }),
  run: (tx, viewer, { input }) =>
    addCareTeamMember(tx, viewer, { ...input, teamId: String(input.teamId) }),
});

roleGatedWrite('removeCareTeamMember', {
  type: CareTeamIdType,
  description:
    'An administrator removes a clinician from a care team: their access through it ends at once. Audited.',
  roles: ['admin'],
  args: (t) => ({ input: t.arg({ type: CareTeamMemberInput }) }),
  run: (tx, viewer, { input }) =>
    removeCareTeamMember(tx, viewer, { ...input, teamId: String(input.teamId) }),
});

roleGatedWrite('revokeClinician', {
  type: AuthorisationRefType,
  description: 'Ends a clinician’s (or a care team’s) access to your record at once.',
  roles: ['participant'],
  args: (t) => ({ authorisationId: t.arg.id() }),
  run: (tx, viewer, { authorisationId }) => revokeClinician(tx, viewer, String(authorisationId)),
});

roleGatedRead('authorisedPatients', {
  type: [AuthorisedPatientType],
  description: 'The participants who authorise you now.',
  roles: ['clinician'],
  run: (tx, viewer) => authorisedPatients(tx, viewer),
});

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

roleGatedWrite('appendConditionForPatient', {
  type: RecordEntryRefType,
  description: 'Adds a condition to a participant’s record while they authorise you to append.',
  roles: ['clinician'],
  args: (t) => ({ pseudonym: t.arg.string(), input: t.arg({ type: ConditionInput }) }),
  run: (tx, viewer, { pseudonym, input }) => clinicianAddCondition(tx, viewer, pseudonym, input),
});

roleGatedWrite('appendMeasurementForPatient', {
  type: RecordEntryRefType,
  description: 'Adds a measurement to a participant’s record while they authorise you to append.',
  roles: ['clinician'],
  args: (t) => ({ pseudonym: t.arg.string(), input: t.arg({ type: MeasurementInput }) }),
  run: (tx, viewer, { pseudonym, input }) => clinicianAddMeasurement(tx, viewer, pseudonym, input),
});
