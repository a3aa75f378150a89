/**
 * Builds the GraphQL schema. Only imports: each domain module registers its own types, queries
 * and mutations on the builder.
 */
import { builder } from './builder.js';
import './graphql/schema-roots.js';
import './graphql/error-types.js';
import './modules/accounts/accounts.types.js';
import './modules/accounts/password-reset.types.js';
import './modules/accounts/email-verification.types.js';
import './modules/accounts/account-admin.types.js';
import './modules/accounts/force-sign-out.types.js';
import './modules/accounts/user-language.types.js';
import './modules/identity/identity.types.js';
import './modules/identity/second-factor.types.js';
import './modules/identity/staff-passkeys.types.js';
import './modules/identity/my-sessions.types.js';
import './modules/grants/passport/asserted-affiliation.types.js';
import './modules/participants/participants.types.js';
import './modules/datasets/datasets.types.js';
import './modules/dacs/dacs.types.js';
import './modules/dacs/data-use-agreements.types.js';
import './modules/signing-officials/library-cards.types.js';
import './modules/datasets/ingest/ingest.types.js';
import './modules/audit-explorer/audit.types.js';
import './modules/audit-explorer/audit-explorer.types.js';
import './modules/audit-explorer/participant-timeline.types.js';
import './modules/chain/chain.types.js';
import './modules/network/network.types.js';
import './modules/federation/federation.types.js';
import './modules/cohorts/cohorts.types.js';
import './modules/passkeys/passkeys.types.js';
import './modules/passkeys/passkey-sign-in.types.js';
import './modules/consent/duo-match.types.js';
import './modules/consent/consent.types.js';
import './modules/studies/studies.types.js';
import './modules/studies/institution-review.types.js';
import './modules/studies/access-request.types.js';
import './modules/studies/study-documents.types.js';
import './modules/studies/consent-requests.types.js';
import './modules/studies/consent-reminders.types.js';
import './modules/participation/participation.types.js';
import './modules/participation/assisted-consent.types.js';
import './modules/participation/my-data-use.types.js';
import './modules/review/review.types.js';
import './modules/review/dac-reports.types.js';
import './modules/review/election.types.js';
import './modules/review/data-use-reviews.types.js';
import './modules/grants/grants.types.js';
import './modules/grants/agreement-notices.types.js';
import './modules/grants/grant-renewals.types.js';
import './modules/notifications/notifications.types.js';
import './modules/record/record.types.js';
import './modules/record/clinician.types.js';
import './modules/record/app-access.types.js';
import './modules/datasets/genotype-upload/genotype-upload.types.js';

export const schema = builder.toSchema({ sortSchema: true });
