import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, timestamptz, uuidRef } from '../../db/columns.js';
import { users } from '../accounts/accounts.tables.js';
import { participants } from '../participants/participants.tables.js';

/**
 * One datum a participant or someone they authorised added to the participant's record: a
 * condition or phenotype (an HPO/MONDO term) or a measurement. Its content lives in versions
 * (`record_entry_versions`); this row holds who said it and on what evidence, which never change.
 * source: `self_report` (the participant), `clinician` (a clinician they authorised, with the
 * clinician's institution at the time), `steward_ingest` (a dataset's bulk ingest).
 * A retracted entry stays for the audit trail but is excluded from every read and count.
 */
export const recordEntries = pgTable(
  'record_entries',
  {
    id: uuid('id').primaryKey(),
    participantId: uuidRef('participant_id', () => participants.id),
    kind: text('kind').notNull(),
    source: text('source').notNull(),
    /** Who added it (null: the platform, e.g. a steward's ingest run by the CLI). */
    authorUserId: uuid('author_user_id').references(() => users.id),
    /** The clinician's institution when they added it (a later move does not rewrite history). */
    authorInstitution: text('author_institution'),
    createdAt: createdAt(),
    retractedAt: timestamptz('retracted_at'),
    retractedBy: uuid('retracted_by').references(() => users.id),
  },
  (t) => [
    index('record_entries_participant_idx').on(t.participantId),
    check('record_entries_kind_check', sql`${t.kind} in ('condition', 'measurement')`),
    check(
      'record_entries_source_check',
      sql`${t.source} in ('self_report', 'clinician', 'steward_ingest')`,
    ),
    check(
      'record_entries_clinician_check',
      sql`${t.source} <> 'clinician' or (${t.authorUserId} is not null and ${t.authorInstitution} is not null)`,
    ),
  ],
);

/**
 * The content of an entry, one row per version (1, 2, …): a revision by its author adds a row,
 * never rewrites one. code: an HPO/MONDO CURIE for a condition; `height`, `weight` or
 * `smoking_status` for a measurement, with `valueNumber` + `unit` or `valueText`.
 * `note` is the participant's private free text: only they ever read it.
 */
export const recordEntryVersions = pgTable(
  'record_entry_versions',
  {
    entryId: uuidRef('entry_id', () => recordEntries.id),
    version: integer('version').notNull(),
    code: text('code').notNull(),
    onset: date('onset', { mode: 'string' }),
    valueNumber: doublePrecision('value_number'),
    valueText: text('value_text'),
    unit: text('unit'),
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.entryId, t.version] }),
    check('record_entry_versions_version_check', sql`${t.version} >= 1`),
  ],
);

/**
 * A participant's remark on an entry someone else made (they may not edit it): `annotation` adds
 * context, `dispute` says they think it is wrong. Shown beside the entry, never replacing it.
 */
export const recordAnnotations = pgTable(
  'record_annotations',
  {
    id: uuid('id').primaryKey(),
    entryId: uuidRef('entry_id', () => recordEntries.id),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    authorUserId: uuid('author_user_id').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('record_annotations_entry_idx').on(t.entryId),
    check('record_annotations_kind_check', sql`${t.kind} in ('annotation', 'dispute')`),
  ],
);

/**
 * A care team: clinicians of one institution who look after patients together (a clinic, a ward,
 * a multidisciplinary team). Administrators set teams up and manage their members; a participant
 * may authorise a whole team, and then whoever is a member at the time of a read or an append
 * acts under that authorisation.
 */
export const careTeams = pgTable(
  'care_teams',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    /** Every member is a clinician of this institution (users.institution). */
    institution: text('institution').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('care_teams_institution_name_idx').on(t.institution, t.name)],
);

/**
 * Membership of a care team over time: a row per stay, from `joinedAt` until `leftAt`. Removing a
 * member sets `leftAt` (never deletes), so the timeline can still name the team an earlier read
 * was made under; rejoining adds a row. At most one open stay per clinician and team.
 */
export const careTeamMembers = pgTable(
  'care_team_members',
  {
    id: uuid('id').primaryKey(),
    teamId: uuidRef('team_id', () => careTeams.id),
    clinicianUserId: uuidRef('clinician_user_id', () => users.id),
    joinedAt: timestamptz('joined_at').notNull(),
    leftAt: timestamptz('left_at'),
  },
  (t) => [
    index('care_team_members_clinician_idx').on(t.clinicianUserId),
    uniqueIndex('care_team_members_open_idx')
      .on(t.teamId, t.clinicianUserId)
      .where(sql`${t.leftAt} is null`),
  ],
);

/**
 * A participant's authorisation of a named clinician, or of a care team, to read and/or append to
 * their record, from `startsAt` until `endsAt` (exclusive) unless revoked earlier (`revokedAt`).
 * Exactly one of `clinicianUserId` and `careTeamId` is set. Each change is a new row or the
 * revocation of one, never an edit of its period, so the history stays readable.
 */
export const clinicianAuthorisations = pgTable(
  'clinician_authorisations',
  {
    id: uuid('id').primaryKey(),
    participantId: uuidRef('participant_id', () => participants.id),
    clinicianUserId: uuid('clinician_user_id').references(() => users.id),
    careTeamId: uuid('care_team_id').references(() => careTeams.id),
    canRead: boolean('can_read').notNull(),
    canAppend: boolean('can_append').notNull(),
    startsAt: timestamptz('starts_at').notNull(),
    endsAt: timestamptz('ends_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('clinician_authorisations_participant_idx').on(t.participantId),
    index('clinician_authorisations_clinician_idx').on(t.clinicianUserId),
    index('clinician_authorisations_care_team_idx').on(t.careTeamId),
    check('clinician_authorisations_some_right_check', sql`${t.canRead} or ${t.canAppend}`),
    check('clinician_authorisations_period_check', sql`${t.endsAt} > ${t.startsAt}`),
    check(
      'clinician_authorisations_grantee_check',
      sql`(${t.clinicianUserId} is null) <> (${t.careTeamId} is null)`,
    ),
  ],
);
