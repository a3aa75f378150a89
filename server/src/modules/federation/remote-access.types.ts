import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { ConflictError } from '../../errors/app-errors.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { inTransaction } from '../../graphql/run.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import { purposeFromArgs, type ResearchPurposeArgs } from '../consent/research-purpose-args.js';
import { ResearchPurposeInput } from '../consent/research-purpose.types.js';
import { ResearchPurposeType } from '../studies/studies.types.js';
import {
  carryToHolder,
  downloadRemoteExport,
  exportOf,
  type CarrierDeps,
  type RemoteExportRow,
} from './remote-access-carrier.js';
import {
  decideRemoteAccess,
  myRemoteAccessRequests,
  networkRequestCommitteeId,
  ownRemoteRequest,
  remoteAccessRequestsToReview,
  requestRemoteAccess,
  setNetworkRequestCommittee,
  type RemoteAccessRequestRow,
} from './remote-access.service.js';

function carrierDeps(ctx: GraphQLContext): CarrierDeps {
  const registry = ctx.services.registry;
  if (!registry) throw new ConflictError('This server is not connected to a chain');
  return {
    db: ctx.db,
    registry,
    issuer: ctx.config.publicUrl,
    timeoutMs: ctx.config.federation.timeoutMs,
  };
}

const RemoteExportType = builder.objectRef<RemoteExportRow>('RemoteExport').implement({
  description: 'An export the holding institution made for this request, kept here.',
  fields: (t) => ({
    id: t.exposeID('id'),
    remoteExportId: t.exposeString('remoteExportId'),
    samples: t.exposeInt('samples'),
    variants: t.exposeInt('variants'),
    sha256: t.exposeString('sha256'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const RemoteAccessRequestType = builder
  .objectRef<RemoteAccessRequestRow>('RemoteAccessRequest')
  .implement({
    description:
      'A researcher of this institution asking to use a dataset held at another network member: decided by this institution’s committee for network requests, then carried to the holder by this server.',
    fields: (t) => ({
      id: t.exposeID('id'),
      researcherId: t.exposeID('researcherId'),
      member: t.exposeString('member', { description: 'The holding institution (registry id).' }),
      datasetUrl: t.exposeString('datasetUrl'),
      purpose: t.field({ type: ResearchPurposeType, resolve: (r) => r.purpose as ResearchPurpose }),
      status: t.exposeString('status', {
        description: 'This institution’s DAC: pending, approved or refused.',
      }),
      decisionNote: t.exposeString('decisionNote', { nullable: true }),
      decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
      expiresAt: t.expose('expiresAt', {
        type: 'DateTime',
        nullable: true,
        description: 'When this institution’s grant for the dataset ends.',
      }),
      remoteStatus: t.exposeString('remoteStatus', {
        description: 'At the holder: not_sent, pending, approved or refused.',
      }),
      remoteReasons: t.stringList({ resolve: (r) => r.remoteReasons as string[] }),
      remoteError: t.exposeString('remoteError', {
        nullable: true,
        description: 'Why the holder could not be reached or refused the last call.',
      }),
      remoteCheckedAt: t.expose('remoteCheckedAt', { type: 'DateTime', nullable: true }),
      export: t.field({
        type: RemoteExportType,
        nullable: true,
        resolve: (r, _args, ctx) => exportOf(ctx.db, r.id),
      }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

roleGatedRead('myRemoteAccessRequests', {
  type: [RemoteAccessRequestType],
  description: 'Your requests for datasets held at other network members, newest first.',
  roles: ['researcher'],
  run: (tx, viewer) => myRemoteAccessRequests(tx, viewer),
});

roleGatedRead('remoteAccessRequestsToReview', {
  type: [RemoteAccessRequestType],
  description:
    'Requests of this institution’s researchers for datasets held elsewhere: a board member sees those sent to their committees, an admin all.',
  roles: ['ethics_board', 'admin'],
  run: (tx, viewer) => remoteAccessRequestsToReview(tx, viewer),
});

builder.queryField('networkRequestCommittee', (t) =>
  t.id({
    nullable: true,
    description: 'The committee that decides requests for datasets held elsewhere, if any.',
    authScopes: { roles: ['researcher', 'ethics_board', 'admin'] },
    resolve: (_root, _args, ctx) => inTransaction(ctx, (tx) => networkRequestCommitteeId(tx)),
  }),
);

roleGatedWrite('setNetworkRequestCommittee', {
  type: 'ID',
  description:
    'Designates the committee that decides requests for datasets held at other members (admin; audited).',
  roles: ['admin'],
  args: (t) => ({ dacId: t.arg.id() }),
  run: (tx, viewer, args) => setNetworkRequestCommittee(tx, viewer, args.dacId),
});

builder.mutationField('requestRemoteAccess', (t) =>
  t.field({
    type: RemoteAccessRequestType,
    description:
      'Asks to use a dataset held at another member (its URL, `<its PUBLIC_URL>/datasets/<id>`) for a purpose; goes to this institution’s committee for network requests (researcher; audited).',
    authScopes: { roles: ['researcher'] },
    errors: { types: WRITE_ERRORS },
    args: {
      datasetUrl: t.arg.string(),
      purpose: t.arg({ type: ResearchPurposeInput }),
    },
    resolve: (_root, args, ctx) =>
      inTransaction(ctx, (tx) =>
        requestRemoteAccess(tx, carrierDeps(ctx).registry, ctx.viewer, {
          datasetUrl: args.datasetUrl,
          purpose: purposeFromArgs(args.purpose as ResearchPurposeArgs),
        }),
      ),
  }),
);

builder.mutationField('decideRemoteAccess', (t) =>
  t.field({
    type: RemoteAccessRequestType,
    description:
      'A member of the committee the request went to approves (this institution’s grant; the server then sends it to the holder) or refuses it with a note (nothing is sent). Audited.',
    authScopes: { roles: ['ethics_board', 'admin'] },
    errors: { types: WRITE_ERRORS },
    args: {
      id: t.arg.id(),
      approve: t.arg.boolean(),
      note: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const decided = await inTransaction(ctx, (tx) =>
        decideRemoteAccess(tx, ctx.viewer, args, {
          grantDefaultMonths: ctx.config.grantDefaultMonths,
        }),
      );
      // Sent once the decision is committed: the holder's answer (or why it could not be
      // reached) is recorded on the request; the researcher can take it further later.
      if (decided.status !== 'approved' || !ctx.viewer) return decided;
      return carryToHolder(carrierDeps(ctx), ctx.viewer, decided);
    },
  }),
);

builder.mutationField('refreshRemoteAccess', (t) =>
  t.field({
    type: RemoteAccessRequestType,
    description:
      'Takes your approved request one step further at the holder: sends it if it was not sent, else asks where it stands, and once the holder approved fetches the export (kept here). Your institution’s server signs a short-lived visa for each call.',
    authScopes: { roles: ['researcher'] },
    errors: { types: WRITE_ERRORS },
    args: { id: t.arg.id() },
    resolve: async (_root, args, ctx) => {
      const row = await inTransaction(ctx, (tx) => ownRemoteRequest(tx, ctx.viewer, args.id));
      return carryToHolder(carrierDeps(ctx), ctx.viewer!, row);
    },
  }),
);

builder.queryField('remoteExportVcf', (t) =>
  t.string({
    description:
      'The VCF of the export kept for one of your requests (researcher; audited each time).',
    authScopes: { roles: ['researcher'] },
    args: { requestId: t.arg.id() },
    resolve: async (_root, args, ctx) =>
      (await inTransaction(ctx, (tx) => downloadRemoteExport(tx, ctx.viewer, args.requestId))).vcf,
  }),
);
