import { graphql, type ResultOf } from './graphql';

/**
 * Selections that several pages read, and the types of what they answer: the portal's types of
 * API data are these, inferred from the schema, never written out by hand.
 */

/** A participant's consent preferences (one version). */
export const PreferencesFields = graphql(`
  fragment PreferencesFields on ConsentPreferences { version purposes { gru hmb ds poa methods
  commercial } diseases { id choice } askEachTime discoverable recontact createdAt signedWith }
`);
export type Preferences = ResultOf<typeof PreferencesFields>;

/** One of the signed-in participant's passkeys. */
export const PasskeyFields = graphql(`
  fragment PasskeyFields on Passkey { id credentialId name createdAt }
`);
export type Passkey = ResultOf<typeof PasskeyFields>;

/** What a participant's passkey signs for one consent decision (see `$lib/passkey-browser`). */
export const SigningStatementFields = graphql(`
  fragment SigningStatementFields on ConsentSigningStatement { time challenge }
`);
export type SigningStatement = ResultOf<typeof SigningStatementFields>;

/** A study's declared research purpose. */
export const PurposeFields = graphql(`
  fragment PurposeFields on ResearchPurpose { primary diseases commercial sensitive otherText
  forProfitOrganisation institution userIds projectId geography plannedPublication }
`);
export type Purpose = ResultOf<typeof PurposeFields>;

/** An obligation a grant carries (DUO modifiers, board conditions). */
export const ObligationFields = graphql(`
  fragment ObligationFields on Obligation { code kind description evidence }
`);
export type Obligation = ResultOf<typeof ObligationFields>;

/** One modifier of a dataset's data use against a purpose: met, not met, to check, or a duty. */
export const ModifierCheckFields = graphql(`
  fragment ModifierCheckFields on ModifierCheck { code status text obligation }
`);
export type ModifierCheck = ResultOf<typeof ModifierCheckFields>;

/** An audit event about a participant's data, with its chain proof once sealed. */
export const TimelineEventFields = graphql(`
  fragment TimelineEventFields on TimelineEvent { seq occurredAt action sentence recordedBy kind actorRole hash prevHash
  canonical proof { batch merkleRoot steps { side hash } txHash height blockTime } }
`);
export type TimelineEvent = ResultOf<typeof TimelineEventFields>;
/** Where an audit event is anchored, and the RFC 6962 path that proves it. */
export type ChainProof = NonNullable<TimelineEvent['proof']>;

/** The outcome of recomputing the audit hash chain. */
export const VerificationFields = graphql(`
  fragment VerificationFields on AuditVerification { ok checkedEvents headHash firstBroken { seq
  reason } }
`);
export type AuditVerification = ResultOf<typeof VerificationFields>;

/** A dataset's data-use terms, with the DUO words the API gives for each code. */
export const DataUseFields = graphql(`
  fragment DataUseFields on DataUse { permission modifiers diseases version params {
  timeLimitMonths moratoriumUntil regions institutions users projects } terms { code id label
  plain } }
`);
export type DataUse = ResultOf<typeof DataUseFields>;

/** A study figure the API may suppress for researchers (exact for the board). */
export const StudyCountFields = graphql(`
  fragment StudyCountFields on StudyCount { display count }
`);
/** A cohort figure, protected the same way. */
export const CountFigureFields = graphql(`
  fragment CountFigureFields on CountFigure { display count }
`);
/** A protected figure: what to show, and the number when it is not suppressed. */
export type Figure = ResultOf<typeof StudyCountFields> | ResultOf<typeof CountFigureFields>;

/** One entry of a participant's record with its provenance (the note only for its participant). */
export const RecordEntryFields = graphql(`
  fragment RecordEntryFields on RecordEntry { id kind source authorName authorInstitution
  createdAt version code label onset value valueText unit note remarks { id kind text createdAt } }
`);
export type RecordEntry = ResultOf<typeof RecordEntryFields>;
