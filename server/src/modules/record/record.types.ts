import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { SMOKING_STATUSES, recordTermChoices, type RecordTermChoice } from './record-content.js';
import { myRecord, type EntryRemark, type RecordEntryView } from './record-reads.service.js';
import {
  addOwnCondition,
  addOwnMeasurement,
  annotateEntry,
  retractOwnEntry,
  reviseOwnEntry,
} from './record.service.js';

/** Where an entry came from. */
export const RecordSourceEnum = builder.enumType('RecordSource', {
  description: 'Who added an entry to a record, and on what evidence.',
  values: {
    SELF_REPORT: { value: 'self_report', description: 'The participant said so.' },
    CLINICIAN: { value: 'clinician', description: 'A clinician the participant authorised.' },
    STEWARD_INGEST: { value: 'steward_ingest', description: 'A dataset’s bulk ingest.' },
  } as const,
});

const RecordEntryKindEnum = builder.enumType('RecordEntryKind', {
  values: { CONDITION: { value: 'condition' }, MEASUREMENT: { value: 'measurement' } } as const,
});

const MeasurementEnum = builder.enumType('RecordMeasurement', {
  description: 'A measurement: height in cm, weight in kg, or smoking status.',
  values: {
    HEIGHT: { value: 'height' },
    WEIGHT: { value: 'weight' },
    SMOKING_STATUS: { value: 'smoking_status' },
  } as const,
});

const SmokingStatusEnum = builder.enumType('SmokingStatus', {
  values: Object.fromEntries(SMOKING_STATUSES.map((s) => [s.toUpperCase(), { value: s }])) as {
    NEVER: { value: 'never' };
    FORMER: { value: 'former' };
    CURRENT: { value: 'current' };
  },
});

const RemarkKindEnum = builder.enumType('RecordRemarkKind', {
  values: {
    ANNOTATION: { value: 'annotation', description: 'Adds context.' },
    DISPUTE: { value: 'dispute', description: 'You think the entry is wrong.' },
  } as const,
});

const RecordRemarkType = builder.objectRef<EntryRemark>('RecordRemark').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: RemarkKindEnum, resolve: (r) => r.kind }),
    text: t.exposeString('text'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

/** An entry in a participant's record with its provenance. */
export const RecordEntryType = builder.objectRef<RecordEntryView>('RecordEntry').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: RecordEntryKindEnum, resolve: (e) => e.kind }),
    source: t.field({ type: RecordSourceEnum, resolve: (e) => e.source }),
    authorName: t.exposeString('authorName', {
      nullable: true,
      description: 'The clinician who added it (null when the participant reported it).',
    }),
    authorInstitution: t.exposeString('authorInstitution', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    version: t.exposeInt('version'),
    code: t.exposeString('code', {
      description: 'The HPO/MONDO CURIE, or height / weight / smoking_status.',
    }),
    label: t.exposeString('label', { nullable: true }),
    onset: t.exposeString('onset', {
      nullable: true,
      description: 'When it began (or was measured), as an ISO date.',
    }),
    value: t.exposeFloat('valueNumber', { nullable: true }),
    valueText: t.exposeString('valueText', { nullable: true }),
    unit: t.exposeString('unit', { nullable: true }),
    note: t.exposeString('note', {
      nullable: true,
      description: 'The participant’s private note: only they ever see it.',
    }),
    remarks: t.field({
      type: [RecordRemarkType],
      description: 'The participant’s annotations and disputes, shown beside the entry.',
      resolve: (e) => e.remarks,
    }),
  }),
});

/** A condition as its author gives it. */
export const ConditionInput = builder.inputType('RecordConditionInput', {
  fields: (t) => ({
    code: t.string({ description: 'An HPO or MONDO CURIE, e.g. HP:0002090.' }),
    onset: t.string({ required: false, description: 'ISO date, not in the future.' }),
    note: t.string({ required: false, description: 'Private: only you see it.' }),
  }),
});

/** A measurement as its author gives it. */
export const MeasurementInput = builder.inputType('RecordMeasurementInput', {
  fields: (t) => ({
    measurement: t.field({ type: MeasurementEnum }),
    value: t.float({ required: false, description: 'Height in cm or weight in kg.' }),
    status: t.field({ type: SmokingStatusEnum, required: false }),
    takenOn: t.string({ required: false, description: 'ISO date, not in the future.' }),
    note: t.string({ required: false, description: 'Private: only you see it.' }),
  }),
});

/** The entry a write made or changed. */
export const RecordEntryRefType = builder
  .objectRef<{ id: string; version?: number; retractedAt?: Date }>('RecordEntryRef')
  .implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      version: t.exposeInt('version', { nullable: true }),
      retractedAt: t.expose('retractedAt', { type: 'DateTime', nullable: true }),
    }),
  });

const RecordTermType = builder.objectRef<RecordTermChoice>('RecordTerm').implement({
  description: 'An HPO phenotype or MONDO disease a record entry may name.',
  fields: (t) => ({ id: t.exposeString('id'), label: t.exposeString('label') }),
});

roleGatedRead('recordTerms', {
  type: [RecordTermType],
  description:
    'The HPO and MONDO terms a condition entry may name (the imported ontology, public knowledge: no participant data), by label.',
  roles: ['participant', 'clinician'],
  run: (tx) => recordTermChoices(tx),
});

roleGatedRead('myRecord', {
  type: [RecordEntryType],
  description: 'Your record: what you and the clinicians you authorised added, with sources.',
  roles: ['participant'],
  run: (tx, viewer) => myRecord(tx, viewer),
});

roleGatedWrite('addConditionToRecord', {
  type: RecordEntryRefType,
  description: 'Adds a condition or phenotype you report yourself.',
  roles: ['participant'],
  args: (t) => ({ input: t.arg({ type: ConditionInput }) }),
  run: (tx, viewer, { input }) => addOwnCondition(tx, viewer, input),
});

roleGatedWrite('addMeasurementToRecord', {
  type: RecordEntryRefType,
  description: 'Adds your height, weight or smoking status.',
  roles: ['participant'],
  args: (t) => ({ input: t.arg({ type: MeasurementInput }) }),
  run: (tx, viewer, { input }) => addOwnMeasurement(tx, viewer, input),
});

roleGatedWrite('reviseRecordEntry', {
  type: RecordEntryRefType,
  description: 'Corrects an entry you reported (a new version; the old one is kept).',
  roles: ['participant'],
  args: (t) => ({
    entryId: t.arg.id(),
    condition: t.arg({ type: ConditionInput, required: false }),
    measurement: t.arg({ type: MeasurementInput, required: false }),
  }),
  run: (tx, viewer, args) => reviseOwnEntry(tx, viewer, { ...args, entryId: String(args.entryId) }),
});

roleGatedWrite('retractRecordEntry', {
  type: RecordEntryRefType,
  description:
    'Retracts an entry you reported: excluded from your record and research from now on.',
  roles: ['participant'],
  args: (t) => ({ entryId: t.arg.id() }),
  run: (tx, viewer, { entryId }) => retractOwnEntry(tx, viewer, String(entryId)),
});

roleGatedWrite('annotateRecordEntry', {
  type: RecordEntryRefType,
  description: 'Adds a remark or a dispute beside an entry a clinician or the study added.',
  roles: ['participant'],
  args: (t) => ({
    entryId: t.arg.id(),
    kind: t.arg({ type: RemarkKindEnum }),
    text: t.arg.string(),
  }),
  run: (tx, viewer, { entryId, kind, text }) =>
    annotateEntry(tx, viewer, { entryId: String(entryId), kind, text }),
});
