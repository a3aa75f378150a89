/**
 * The drizzle schema: one file per domain, gathered here so drizzle-kit and the
 * query builder see every table. Migrations in ../../../migrations are generated from it.
 */
export * from '../modules/accounts/accounts.tables.js';
export * from '../modules/participants/participants.tables.js';
export * from '../modules/datasets/datasets.tables.js';
export * from '../modules/audit/audit.tables.js';
export * from '../modules/chain/chain.tables.js';
export * from '../modules/ontology/ontology.tables.js';
export * from '../modules/datasets/ingest/ingest.tables.js';
export * from '../modules/datasets/genotype-upload/genotype-upload.tables.js';
export * from '../modules/cohort-changes/cohort-changes.tables.js';
export * from '../modules/cohorts/cohorts.tables.js';
export * from '../modules/secrets/secrets.tables.js';
export * from '../modules/consent/consent.tables.js';
export * from '../modules/passkeys/passkeys.tables.js';
export * from '../modules/dacs/dacs.tables.js';
export * from '../modules/dacs/data-use-agreements.tables.js';
export * from '../modules/signing-officials/library-cards.tables.js';
export * from '../modules/studies/studies.tables.js';
export * from '../modules/studies/institution-review.tables.js';
export * from '../modules/studies/access-request.tables.js';
export * from '../modules/studies/study-documents.tables.js';
export * from '../modules/review/review.tables.js';
export * from '../modules/grants/grants.tables.js';
export * from '../modules/notifications/notifications.tables.js';
export * from '../modules/beacon/beacon.tables.js';
export * from '../modules/identity/identity.tables.js';
export * from '../modules/grants/passport/asserted-affiliations.tables.js';
export * from '../modules/assisted-consent/assisted-consent.tables.js';
export * from '../modules/record/record.tables.js';
export * from '../modules/record/app-access.tables.js';
export * from '../modules/federation/federation.tables.js';
export * from '../modules/federation/participant-links.tables.js';
export * from '../modules/federation/remote-access.tables.js';
