import { builder } from '../../builder.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import {
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

const ClinicianAuthorisationType = builder
  .objectRef<ClinicianAuthorisationView>('ClinicianAuthorisation')
  .implement({
    description: 'Your permission for a clinician to read and/or add to your record.',
    fields: (t) => ({
      id: t.exposeID('id'),
      clinicianName: t.exposeString('clinicianName'),
      clinicianEmail: t.exposeString('clinicianEmail'),
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

builder.mutationField('revokeClinician', (t) =>
  t.field({
    type: AuthorisationRefType,
    description: 'Ends a clinician’s access to your record at once.',
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
