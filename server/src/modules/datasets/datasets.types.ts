import { builder } from '../../builder.js';
import { roleGatedWrite } from '../../graphql/role-gated-fields.js';
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
import { GEOGRAPHIC_REGIONS, REGION_CODES } from '../ontology/regions.js';
import {
  getDataset,
  listDatasets,
  registerDataset,
  type DatasetRecord,
} from './datasets.service.js';
import type { DataUse } from './data-use.js';
import { dataUseHistory, type DataUseChangeRow } from './data-use-changes.service.js';
import { describeDataUse } from './describe-data-use.js';
import { collectionConsentOfRow } from './collection-consent.js';
import { setCollectionConsent } from './collection-consent.service.js';
import {
  CollectionConsentInput,
  CollectionConsentType,
  collectionConsentFromArgs,
} from './collection-consent.types.js';

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

/** The modifiers' values as GraphQL shows and takes them (absent: not set). */
interface DataUseParamsView {
  timeLimitMonths?: number | undefined;
  moratoriumUntil?: string | undefined;
  regions?: readonly string[] | undefined;
  institutions?: readonly string[] | undefined;
  users?: readonly string[] | undefined;
  projects?: readonly string[] | undefined;
}

const list = (v: readonly string[] | undefined) => (v ? [...v] : null);

const DataUseParamsType = builder.objectRef<DataUseParamsView>('DataUseParams').implement({
  description: 'The values some modifiers carry; null where not set (the board decides).',
  fields: (t) => ({
    timeLimitMonths: t.int({ nullable: true, resolve: (p) => p.timeLimitMonths ?? null }),
    moratoriumUntil: t.string({ nullable: true, resolve: (p) => p.moratoriumUntil ?? null }),
    regions: t.stringList({ nullable: true, resolve: (p) => list(p.regions) }),
    institutions: t.stringList({ nullable: true, resolve: (p) => list(p.institutions) }),
    users: t.stringList({ nullable: true, resolve: (p) => list(p.users) }),
    projects: t.stringList({ nullable: true, resolve: (p) => list(p.projects) }),
  }),
});

const RegionType = builder.objectRef<{ code: string; name: string }>('GeographicRegion').implement({
  description: 'A region a GS restriction can name.',
  fields: (t) => ({ code: t.exposeString('code'), name: t.exposeString('name') }),
});

builder.queryField('geographicRegions', (t) =>
  t.field({
    type: [RegionType],
    description: 'The region codes GS accepts.',
    skipTypeScopes: true,
    resolve: () => REGION_CODES.map((code) => ({ code, name: GEOGRAPHIC_REGIONS[code] })),
  }),
);

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
    params: t.field({
      type: DataUseParamsType,
      resolve: (d) => (d.duoParams ?? {}) as DataUseParamsView,
    }),
    version: t.exposeInt('dataUseVersion', {
      description: 'Bumped by each applied change (1 when registered).',
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

const DataUseDirectionEnum = builder.enumType('DataUseDirection', {
  values: {
    NARROWER: { value: 'narrower', description: 'More restrictive: applied at once.' },
    WIDER: { value: 'wider', description: 'Less restrictive: needs the board.' },
    MIXED: { value: 'mixed', description: 'Widens in part: needs the board.' },
  } as const,
});

const DataUseChangeStatusEnum = builder.enumType('DataUseChangeStatus', {
  values: {
    APPLIED: { value: 'applied' },
    PENDING: { value: 'pending', description: 'Waits for an ethics board member or an admin.' },
    REJECTED: { value: 'rejected' },
  } as const,
});

export const DataUseChangeType = builder.objectRef<DataUseChangeRow>('DataUseChange').implement({
  description: 'One versioned change of a dataset’s data use.',
  fields: (t) => ({
    id: t.exposeID('id'),
    datasetId: t.exposeID('datasetId'),
    direction: t.field({ type: DataUseDirectionEnum, resolve: (c) => c.direction as never }),
    status: t.field({ type: DataUseChangeStatusEnum, resolve: (c) => c.status as never }),
    before: t.string({
      description: 'The terms it was compared with, in short.',
      resolve: (c) => describeDataUse(c.previous as DataUse),
    }),
    after: t.string({
      description: 'The new terms, in short.',
      resolve: (c) => describeDataUse(c.dataUse as DataUse),
    }),
    baseVersion: t.exposeInt('baseVersion'),
    appliedVersion: t.exposeInt('appliedVersion', { nullable: true }),
    decisionNote: t.exposeString('decisionNote', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const DatasetType = builder.objectRef<DatasetRecord>('Dataset').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    dataUse: t.field({ type: DataUseType, resolve: (d) => d }),
    collectionConsent: t.field({
      type: CollectionConsentType,
      description: 'The consent its participants gave at collection.',
      resolve: (d) => collectionConsentOfRow(d),
    }),
    steward: t.field({
      type: UserType,
      nullable: true,
      resolve: (d, _args, ctx) => findUser(ctx.db, d.stewardId),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    dataUseHistory: t.field({
      type: [DataUseChangeType],
      description:
        'Changes of the data use, newest first: applied, waiting for the board, rejected.',
      resolve: (d, _args, ctx) => inTransaction(ctx, (tx) => dataUseHistory(tx, d.id)),
    }),
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

const DataUseParamsInput = builder.inputType('DataUseParamsInput', {
  description: 'Values of TS, MOR, GS, IS, US and PS; give a value only with its modifier.',
  fields: (t) => ({
    timeLimitMonths: t.int({ required: false, description: 'TS: months, at least 1.' }),
    moratoriumUntil: t.string({ required: false, description: 'MOR: a future ISO date.' }),
    regions: t.stringList({
      required: false,
      description: 'GS: region codes (geographicRegions).',
    }),
    institutions: t.stringList({ required: false, description: 'IS: institutions.' }),
    users: t.stringList({ required: false, description: 'US: user ids.' }),
    projects: t.stringList({ required: false, description: 'PS: project ids.' }),
  }),
});

export const DataUseInput = builder.inputType('DataUseInput', {
  fields: (t) => ({
    permission: t.field({ type: DuoPermissionEnum }),
    diseases: t.stringList({ required: false, description: 'MONDO CURIEs; required for DS only.' }),
    modifiers: t.field({ type: [DuoModifierEnum], required: false }),
    params: t.field({ type: DataUseParamsInput, required: false }),
  }),
});

/** GraphQL data-use arguments as the schema reads them: nulls dropped, lists defaulted. */
export function dataUseFromArgs(args: {
  permission: string;
  diseases?: readonly string[] | null;
  modifiers?: readonly string[] | null;
  params?: Record<string, unknown> | null;
}): Record<string, unknown> {
  const params = Object.fromEntries(
    Object.entries(args.params ?? {}).filter(([, v]) => v !== null && v !== undefined),
  );
  return {
    permission: args.permission,
    diseases: args.diseases ?? [],
    modifiers: args.modifiers ?? [],
    params,
  };
}

const RegisterDatasetInput = builder.inputType('RegisterDatasetInput', {
  fields: (t) => ({
    name: t.string(),
    description: t.string({ required: false }),
    dataUse: t.field({ type: DataUseInput }),
    collectionConsent: t.field({
      type: CollectionConsentInput,
      required: false,
      description: 'The consent its participants gave at collection; absent: RECONTACT_EACH_USE.',
    }),
    stewardId: t.id({
      required: false,
      description: 'Admins only; stewards register for themselves.',
    }),
  }),
});

export const UpdateDatasetInput = builder.inputType('UpdateDatasetInput', {
  fields: (t) => ({
    id: t.id(),
    name: t.string({ required: false }),
    description: t.string({ required: false }),
    dataUse: t.field({ type: DataUseInput, required: false }),
  }),
});

roleGatedWrite('registerDataset', {
  type: DatasetType,
  roles: ['steward', 'admin'],
  args: (t) => ({ input: t.arg({ type: RegisterDatasetInput }) }),
  run: (tx, viewer, { input }) =>
    registerDataset(tx, viewer, {
      ...input,
      dataUse: dataUseFromArgs(input.dataUse),
      collectionConsent: collectionConsentFromArgs(input.collectionConsent),
    }),
});

roleGatedWrite('setCollectionConsent', {
  type: DatasetType,
  description:
    'Corrects the consent a dataset’s participants gave at collection (its steward or an admin; audited).',
  roles: ['steward', 'admin'],
  args: (t) => ({
    datasetId: t.arg.id(),
    collectionConsent: t.arg({ type: CollectionConsentInput }),
  }),
  run: (tx, viewer, args) =>
    setCollectionConsent(tx, viewer, {
      datasetId: args.datasetId,
      collectionConsent: collectionConsentFromArgs(args.collectionConsent),
    }),
});
