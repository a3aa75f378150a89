import { builder } from '../../builder.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import { findUser } from '../accounts/accounts.service.js';
import { UserType } from '../accounts/accounts.types.js';
import {
  DUO_MODIFIERS,
  DUO_MODIFIER_CODES,
  DUO_PERMISSIONS,
  DUO_PERMISSION_CODES,
  type DuoModifier,
  type DuoPermission,
} from '../ontology/duo.js';
import {
  getDataset,
  listDatasets,
  registerDataset,
  updateDataset,
  type DatasetRecord,
} from './datasets.service.js';

export const DuoPermissionEnum = builder.enumType('DuoPermission', {
  values: Object.fromEntries(
    DUO_PERMISSION_CODES.map((c) => [
      c,
      { description: `${DUO_PERMISSIONS[c].id} ${DUO_PERMISSIONS[c].label}` },
    ]),
  ) as Record<DuoPermission, { description: string }>,
});

export const DuoModifierEnum = builder.enumType('DuoModifier', {
  values: Object.fromEntries(
    DUO_MODIFIER_CODES.map((c) => [
      c,
      { description: `${DUO_MODIFIERS[c].id} ${DUO_MODIFIERS[c].label}` },
    ]),
  ) as Record<DuoModifier, { description: string }>,
});

interface DuoTermView {
  code: string;
  id: string;
  label: string;
  plain: string;
}

const DuoTermType = builder.objectRef<DuoTermView>('DuoTerm').implement({
  description: 'A GA4GH Data Use Ontology term, with a plain-language explanation.',
  fields: (t) => ({
    code: t.exposeString('code'),
    id: t.exposeString('id', { description: 'DUO CURIE, e.g. DUO:0000042' }),
    label: t.exposeString('label'),
    plain: t.exposeString('plain'),
  }),
});

const DataUseType = builder.objectRef<DatasetRecord>('DataUse').implement({
  description: 'The DUO data-use terms of a dataset.',
  fields: (t) => ({
    permission: t.field({
      type: DuoPermissionEnum,
      resolve: (d) => d.duoPermission as DuoPermission,
    }),
    diseases: t.stringList({ resolve: (d) => d.duoDiseases }),
    modifiers: t.field({
      type: [DuoModifierEnum],
      resolve: (d) => d.duoModifiers as DuoModifier[],
    }),
    terms: t.field({
      type: [DuoTermType],
      description: 'The permission and modifiers with labels and plain explanations.',
      resolve: (d) => [
        { code: d.duoPermission, ...DUO_PERMISSIONS[d.duoPermission as DuoPermission] },
        ...d.duoModifiers.map((m) => ({ code: m, ...DUO_MODIFIERS[m as DuoModifier] })),
      ],
    }),
  }),
});

export const DatasetType = builder.objectRef<DatasetRecord>('Dataset').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    dataUse: t.field({ type: DataUseType, resolve: (d) => d }),
    steward: t.field({
      type: UserType,
      nullable: true,
      resolve: (d, _args, ctx) => findUser(ctx.db, d.stewardId),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('duoTerms', (t) =>
  t.field({
    type: [DuoTermType],
    description: 'Every DUO permission and modifier Consentome understands.',
    skipTypeScopes: true,
    resolve: () => [
      ...DUO_PERMISSION_CODES.map((code) => ({ code, ...DUO_PERMISSIONS[code] })),
      ...DUO_MODIFIER_CODES.map((code) => ({ code, ...DUO_MODIFIERS[code] })),
    ],
  }),
);

builder.queryField('datasets', (t) =>
  t.field({
    type: [DatasetType],
    resolve: (_root, _args, ctx) => inTransaction(ctx, (tx) => listDatasets(tx, ctx.viewer)),
  }),
);

builder.queryField('dataset', (t) =>
  t.field({
    type: DatasetType,
    args: { id: t.arg.id() },
    resolve: (_root, { id }, ctx) => inTransaction(ctx, (tx) => getDataset(tx, ctx.viewer, id)),
  }),
);

export const DataUseInput = builder.inputType('DataUseInput', {
  fields: (t) => ({
    permission: t.field({ type: DuoPermissionEnum }),
    diseases: t.stringList({ required: false, description: 'MONDO CURIEs; required for DS only.' }),
    modifiers: t.field({ type: [DuoModifierEnum], required: false }),
  }),
});

const RegisterDatasetInput = builder.inputType('RegisterDatasetInput', {
  fields: (t) => ({
    name: t.string(),
    description: t.string({ required: false }),
    dataUse: t.field({ type: DataUseInput }),
    stewardId: t.id({
      required: false,
      description: 'Admins only; stewards register for themselves.',
    }),
  }),
});

const UpdateDatasetInput = builder.inputType('UpdateDatasetInput', {
  fields: (t) => ({
    id: t.id(),
    name: t.string({ required: false }),
    description: t.string({ required: false }),
    dataUse: t.field({ type: DataUseInput, required: false }),
  }),
});

builder.mutationField('registerDataset', (t) =>
  t.field({
    type: DatasetType,
    authScopes: { roles: ['steward', 'admin'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: RegisterDatasetInput }) },
    resolve: (_root, { input }, ctx) =>
      inTransaction(ctx, (tx) => registerDataset(tx, ctx.viewer, input)),
  }),
);

builder.mutationField('updateDataset', (t) =>
  t.field({
    type: DatasetType,
    authScopes: { roles: ['steward', 'admin'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: UpdateDatasetInput }) },
    resolve: (_root, { input }, ctx) =>
      inTransaction(ctx, (tx) => updateDataset(tx, ctx.viewer, input)),
  }),
);
