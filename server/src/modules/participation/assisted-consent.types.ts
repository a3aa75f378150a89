import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { refusalAuditedTx } from '../../graphql/audit-refusals.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import {
  listConsentFormVersions,
  registerConsentFormVersion,
} from '../assisted-consent/assisted-consent.service.js';
import { readPaperScan } from '../assisted-consent/paper-scan.js';
import { PreferencesInput, PreferencesType, preferencesOf } from '../consent/consent.types.js';
import { ConsentRequestType, StudyDecisionEnum } from '../studies/consent-requests.types.js';
import {
  findParticipantAtMySite,
  linkRepresentative,
  recordPaperDecision,
  type CoordinatorParticipantView,
} from './coordinator-consent.service.js';
import {
  confirmDecisionsMadeForMe,
  decisionsToConfirm,
  myRepresentedParticipants,
} from './representation.service.js';

const COORDINATOR = { roles: ['consent_coordinator' as const] };

type PaperRecord = CoordinatorParticipantView['paperRecords'][number];
type Representation = CoordinatorParticipantView['representatives'][number];

const ConsentFormVersionType = builder
  .objectRef<{ version: string; title: string }>('ConsentFormVersion')
  .implement({
    description: 'A registered version of the paper consent form.',
    fields: (t) => ({ version: t.exposeString('version'), title: t.exposeString('title') }),
  });

const PaperRecordType = builder.objectRef<PaperRecord>('PaperConsentRecord').implement({
  description: 'The paper trail of a decision a consent coordinator recorded for a participant.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.exposeString('kind', { description: 'preferences, answer or withdrawal.' }),
    institution: t.exposeString('institution'),
    formVersion: t.exposeString('formVersion'),
    signedOn: t.exposeString('signedOn', { description: 'The day the form was signed.' }),
    witnessName: t.exposeString('witnessName'),
    scanSha256: t.exposeString('scanSha256'),
    recordedAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const RepresentationType = builder.objectRef<Representation>('Representation').implement({
  description: 'A legally authorised representative linked to a participant.',
  fields: (t) => ({
    id: t.exposeID('id'),
    representativeName: t.exposeString('representativeName'),
    relationship: t.exposeString('relationship'),
    endsOn: t.exposeString('endsOn', {
      description: 'The first day the representative may no longer act.',
    }),
    endReason: t.exposeString('endReason', { description: 'majority or date.' }),
    ended: t.boolean({ resolve: (r) => r.endedAt !== null }),
    confirmed: t.boolean({ resolve: (r) => r.confirmedAt !== null }),
  }),
});

const CoordinatorParticipantType = builder
  .objectRef<CoordinatorParticipantView>('CoordinatorParticipant')
  .implement({
    description: 'A participant of the coordinator’s own site, as the coordinator sees them.',
    fields: (t) => ({
      id: t.exposeID('id'),
      enrolmentId: t.exposeString('enrolmentId'),
      status: t.exposeString('status'),
      preferences: t.field({ type: PreferencesType, resolve: (p) => p.preferences }),
      requests: t.field({ type: [ConsentRequestType], resolve: (p) => p.requests }),
      paperRecords: t.field({ type: [PaperRecordType], resolve: (p) => p.paperRecords }),
      representatives: t.field({
        type: [RepresentationType],
        resolve: (p) => p.representatives,
      }),
    }),
  });

const PaperDecisionKindEnum = builder.enumType('PaperDecisionKind', {
  values: ['preferences', 'answer', 'withdrawal'] as const,
});

const PaperDecisionInput = builder.inputType('PaperDecisionInput', {
  description:
    'What the participant decided on paper: standing preferences, an answer to a study request, or a withdrawal.',
  fields: (t) => ({
    kind: t.field({ type: PaperDecisionKindEnum }),
    preferences: t.field({ type: PreferencesInput, required: false }),
    requestId: t.id({ required: false }),
    decision: t.field({ type: StudyDecisionEnum, required: false }),
  }),
});

const RepresentationLinkInput = builder.inputType('RepresentationLinkInput', {
  fields: (t) => ({
    participantId: t.id(),
    representativeEmail: t.string({
      description: 'The e-mail of the representative’s participant-portal account.',
    }),
    relationship: t.string({ description: 'parent, guardian or other_legal.' }),
    dateOfBirth: t.string({
      required: false,
      description:
        'The participant’s date of birth (YYYY-MM-DD, not stored): the representation ends at the age of majority.',
    }),
    endsOn: t.string({ required: false, description: 'Or a fixed end date (YYYY-MM-DD).' }),
  }),
});

roleGatedRead('consentFormVersions', {
  type: [ConsentFormVersionType],
  description: 'The registered paper consent form versions.',
  roles: ['consent_coordinator', 'admin'],
  run: (tx) => listConsentFormVersions(tx),
});

roleGatedWrite('registerConsentFormVersion', {
  type: ConsentFormVersionType,
  description: 'Registers a version of the paper consent form (administrators).',
  roles: ['admin'],
  args: (t) => ({ version: t.arg.string(), title: t.arg.string() }),
  run: (tx, viewer, args) => registerConsentFormVersion(tx, viewer, args),
});

builder.queryField('participantAtMySite', (t) =>
  t.field({
    type: CoordinatorParticipantType,
    description:
      'Consent coordinators: a participant of your own site by enrolment id (another site’s answers not found). Audited.',
    authScopes: COORDINATOR,
    errors: { types: WRITE_ERRORS },
    args: { enrolmentId: t.arg.string() },
    resolve: (_root, { enrolmentId }, ctx) =>
      refusalAuditedTx(
        ctx,
        { action: 'coordinator.participant.read', targetType: 'participant' },
        (tx) => findParticipantAtMySite(tx, ctx.viewer, { enrolmentId }),
      ),
  }),
);

builder.mutationField('recordPaperConsent', (t) =>
  t.field({
    type: CoordinatorParticipantType,
    description:
      'Consent coordinators: records a decision a participant of your site took on paper or in person, with the form version, the scan (PDF), the date signed and the witness. Institution-attested on chain, never participant-signed.',
    authScopes: COORDINATOR,
    errors: { types: WRITE_ERRORS },
    args: {
      participantId: t.arg.id(),
      decision: t.arg({ type: PaperDecisionInput }),
      formVersion: t.arg.string(),
      signedOn: t.arg.string({ description: 'YYYY-MM-DD' }),
      witnessName: t.arg.string(),
      scan: t.arg({ type: 'File', required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const scan = args.scan ? await readPaperScan(args.scan) : null;
      const { decision } = args;
      return refusalAuditedTx(
        ctx,
        { action: 'consent.paper.record', targetType: 'participant', targetId: args.participantId },
        (tx) =>
          recordPaperDecision(
            tx,
            ctx.viewer,
            {
              participantId: String(args.participantId),
              formVersion: args.formVersion,
              signedOn: args.signedOn,
              witnessName: args.witnessName,
              decision:
                decision.kind === 'preferences'
                  ? {
                      kind: 'preferences',
                      preferences: decision.preferences
                        ? preferencesOf(decision.preferences)
                        : null,
                    }
                  : decision.kind === 'answer'
                    ? {
                        kind: 'answer',
                        requestId: decision.requestId ? String(decision.requestId) : null,
                        decision: decision.decision,
                      }
                    : { kind: 'withdrawal' },
            },
            scan,
          ),
      );
    },
  }),
);

builder.mutationField('linkRepresentative', (t) =>
  t.field({
    type: CoordinatorParticipantType,
    description:
      'Consent coordinators: links a legally authorised representative to a participant of your site, until their majority or a set date.',
    authScopes: COORDINATOR,
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: RepresentationLinkInput }) },
    resolve: (_root, { input }, ctx) =>
      refusalAuditedTx(
        ctx,
        { action: 'representative.link', targetType: 'participant', targetId: input.participantId },
        (tx) =>
          linkRepresentative(tx, ctx.viewer, {
            ...input,
            participantId: String(input.participantId),
            dateOfBirth: input.dateOfBirth ?? null,
            endsOn: input.endsOn ?? null,
          }),
      ),
  }),
);

const RepresentedType = builder
  .objectRef<{ participantId: string; name: string; relationship: string; endsOn: string }>(
    'RepresentedParticipant',
  )
  .implement({
    description: 'Someone you may act for as their legal representative.',
    fields: (t) => ({
      participantId: t.exposeID('participantId'),
      name: t.exposeString('name'),
      relationship: t.exposeString('relationship'),
      endsOn: t.exposeString('endsOn', { description: 'The first day you may no longer act.' }),
    }),
  });

roleGatedRead('myRepresentedParticipants', {
  type: [RepresentedType],
  description:
    'The participants you may act for today. To act for one, send the header X-Consentome-Acting-For: <participantId>.',
  roles: ['participant'],
  run: (tx, viewer) => myRepresentedParticipants(tx, viewer),
});

const ToConfirmType = builder
  .objectRef<{ id: string; representativeName: string; relationship: string; endsOn: string }>(
    'RepresentationToConfirm',
  )
  .implement({
    description: 'A representation that ended: confirm or change the decisions made for you.',
    fields: (t) => ({
      id: t.exposeID('id'),
      representativeName: t.exposeString('representativeName'),
      relationship: t.exposeString('relationship'),
      endedOn: t.exposeString('endsOn'),
    }),
  });

roleGatedRead('decisionsToConfirm', {
  type: [ToConfirmType],
  description: 'Representations that ended whose decisions you have not confirmed yet.',
  roles: ['participant'],
  run: (tx, viewer) => decisionsToConfirm(tx, viewer),
});

roleGatedWrite('confirmDecisionsMadeForMe', {
  type: 'Int',
  description:
    'Confirms the decisions your representative made for you (change any of them on your consent page instead).',
  roles: ['participant'],
  run: (tx, viewer) => confirmDecisionsMadeForMe(tx, viewer),
});
