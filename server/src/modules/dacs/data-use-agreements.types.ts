import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { inTransaction } from '../../graphql/run.js';
import { DacType } from './dacs.types.js';
import { dacById } from './dac-reads.js';
import { mayPublishAgreement } from './dacs.policy.js';
import {
  acceptAgreement,
  acceptancesOf,
  agreementById,
  agreementVersions,
  allCurrentAgreements,
  currentAgreements,
  type AgreementRow,
} from './data-use-agreements.js';

/** A version of a committee's data use agreement as the API shows it. */
export const DataUseAgreementType = builder.objectRef<AgreementRow>('DataUseAgreement').implement({
  description:
    'One version of a data access committee’s data use agreement. The highest version is the current one; researchers (as PI) and signing officials accept it before a request reaches the committee.',
  fields: (t) => ({
    id: t.exposeID('id'),
    version: t.exposeInt('version'),
    text: t.exposeString('text'),
    textSha256: t.exposeString('textSha256', { description: 'SHA-256 of the text.' }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime' }),
    dacId: t.exposeID('dacId'),
    // The committee's name only: its members are for the board and admins (`dacs`).
    dacName: t.string({
      resolve: async (a, _args, ctx) =>
        (await inTransaction(ctx, (tx) => dacById(tx, a.dacId))).name,
    }),
    acceptedByMe: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When you accepted this version, or null.',
      resolve: async (a, _args, ctx) => {
        const viewer = ctx.viewer;
        if (viewer?.kind !== 'user') return null;
        const mine = await inTransaction(ctx, (tx) => acceptancesOf(tx, viewer.userId, [a.id]));
        return mine.get(a.id)?.acceptedAt ?? null;
      },
    }),
  }),
});

builder.objectField(DacType, 'agreement', (t) =>
  t.field({
    type: DataUseAgreementType,
    nullable: true,
    description: 'The current data use agreement, or null when none was published.',
    resolve: async (d, _args, ctx) =>
      (await inTransaction(ctx, (tx) => currentAgreements(tx, [d.id])))[0] ?? null,
  }),
);

builder.objectField(DacType, 'agreementVersions', (t) =>
  t.field({
    type: [DataUseAgreementType],
    description: 'Every published version, newest first.',
    resolve: (d, _args, ctx) => inTransaction(ctx, (tx) => agreementVersions(tx, d.id)),
  }),
);

builder.objectField(DacType, 'mayPublishAgreement', (t) =>
  t.boolean({
    description:
      'Whether the viewer may publish a new version of its data use agreement: an administrator, or the committee’s chair (the rule `publishDataUseAgreement` applies).',
    resolve: (d, _args, ctx) => mayPublishAgreement(ctx.viewer, d),
  }),
);

roleGatedRead('dataUseAgreements', {
  type: [DataUseAgreementType],
  description:
    'The current data use agreement of every committee that published one (what researchers and signing officials accept).',
  roles: ['researcher', 'signing_official', 'ethics_board', 'admin'],
  run: (tx) => allCurrentAgreements(tx),
});

roleGatedWrite('acceptDataUseAgreement', {
  type: DataUseAgreementType,
  description:
    'A researcher (as principal investigator) or a signing official accepts the current version of an agreement; an earlier version is refused. Audited and anchored with its audit batch.',
  roles: ['researcher', 'signing_official'],
  args: (t) => ({ agreementId: t.arg.id() }),
  run: async (tx, viewer, args) => {
    const accepted = await acceptAgreement(tx, viewer, {
      agreementId: String(args.agreementId),
    });
    return agreementById(tx, accepted.agreementId);
  },
});
