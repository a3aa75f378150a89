//! Wire types: the environment the VM passes in, the messages, and the JSON the contract
//! stores and answers with. Field names are snake_case JSON. Unknown fields in messages are
//! rejected so that a misspelt field fails loudly instead of being silently ignored.

use serde::{Deserialize, Serialize};

// ---- What the VM passes in (extra fields, e.g. `transaction`, are ignored) ----

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Env {
    pub block: BlockInfo,
    pub contract: ContractInfo,
}

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct BlockInfo {
    pub height: U64Flex,
    /// Nanoseconds since the unix epoch; CosmWasm sends it as a decimal string.
    pub time: U64Flex,
    pub chain_id: String,
}

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ContractInfo {
    pub address: String,
}

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct MessageInfo {
    pub sender: String,
    #[serde(default)]
    pub funds: Vec<Coin>,
}

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Coin {
    pub denom: String,
    pub amount: String,
}

/// A u64 given either as a JSON number or as a decimal string (CosmWasm encodes u64 that
/// JavaScript cannot represent exactly as strings).
#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(untagged)]
pub enum U64Flex {
    Num(u64),
    Str(String),
}

impl U64Flex {
    pub fn value(&self, field: &str) -> crate::error::Result<u64> {
        match self {
            U64Flex::Num(n) => Ok(*n),
            U64Flex::Str(s) => crate::validate::decimal_u64(field, s),
        }
    }
}

// ---- Messages ----

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct InstantiateMsg {
    pub admin: String,
    #[serde(default)]
    pub writers: Vec<String>,
    /// The relying party whose WebAuthn assertions are accepted; without it, only
    /// institution-attested records can be stored until the admin sets one.
    #[serde(default)]
    pub webauthn: Option<WebAuthnConfig>,
}

/// The WebAuthn relying party: the exact origin in clientDataJSON and the RP id whose
/// SHA-256 starts authenticatorData.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct WebAuthnConfig {
    pub origin: String,
    pub rp_id: String,
}

/// A WebAuthn assertion as the browser returns it (binary fields unpadded base64url).
#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Assertion {
    /// The credential id (base64url) of a passkey registered for the record's subject.
    pub key_id: String,
    pub authenticator_data: String,
    pub client_data_json: String,
    /// ASN.1 DER ECDSA signature, strictly encoded, low-S.
    pub signature: String,
}

/// How a consent record is vouched for.
#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ConsentProof {
    /// Signed by the participant. `covers`: when one assertion signs several records (one
    /// decision touching several scopes), the record digests it covers, in order; the challenge
    /// is then SHA-256 of their canonical JSON array. Without `covers` the challenge is the
    /// record's own digest.
    Passkey {
        assertion: Assertion,
        #[serde(default)]
        covers: Option<Vec<String>>,
    },
    /// Recorded by the institution (the writer) for the participant, with who witnessed it.
    Institution { witness: String },
}

/// How a passkey registration or removal is vouched for.
#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum KeyProof {
    /// Signed by a passkey already registered (and not removed) for the same subject.
    Passkey(Assertion),
    /// By the institution after an identity check: only for a subject without active keys
    /// (registration) or as a visible removal.
    Institution { witness: String },
}

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ExecuteMsg {
    AddWriter {
        address: String,
    },
    RemoveWriter {
        address: String,
    },
    RecordConsents {
        items: Vec<ConsentItem>,
    },
    AnchorAudit {
        batch: u64,
        merkle_root: String,
        first_seq: u64,
        last_seq: u64,
        count: u64,
    },
    RecordGrants {
        items: Vec<GrantItem>,
    },
    SetWebauthn {
        origin: String,
        rp_id: String,
    },
    RegisterPasskey {
        subject: String,
        key_id: String,
        public_key: String,
        proof: KeyProof,
    },
    RemovePasskey {
        subject: String,
        key_id: String,
        proof: KeyProof,
    },
    /// Bootstrap only (admin): admits a founding member institution.
    AdmitMember {
        member: MemberInput,
    },
    /// Admin: ends the bootstrap. From then on only the members govern membership, and the
    /// admin can no longer add or remove writers.
    CloseBootstrap {},
    /// A member proposes a change of membership; its own vote counts as yes.
    ProposeMembership {
        change: MembershipChange,
    },
    /// A member of the proposal's electorate votes once.
    VoteMembership {
        proposal_id: u64,
        approve: bool,
    },
    /// A member updates its own public details (names, Passport issuer keys, Beacon endpoint).
    UpdateMember {
        update: MemberUpdate,
    },
    /// A member leaves the network of its own accord.
    LeaveNetwork {},
    /// A writer sets the relying party of the passkeys it registers (each site has its own
    /// origin and RP id); keys registered by a writer without one use the contract's.
    SetSiteWebauthn {
        origin: String,
        rp_id: String,
    },
    /// A member's writer records a participant's offer to link their pseudonym `subject` at
    /// this site with their pseudonym at `to_member`, signed by their passkey here.
    OfferLink {
        subject: String,
        nonce: String,
        to_member: String,
        assertion: Assertion,
    },
    /// The writer of the offer's `to_member` completes it with the participant's pseudonym
    /// there, signed by their passkey there.
    AcceptLink {
        nonce: String,
        subject: String,
        assertion: Assertion,
    },
}

/// A member institution as proposed or admitted.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    /// Short stable id, `[a-z0-9-]`, 2..=32 chars (e.g. `site-a`).
    pub id: String,
    /// Display name, printable ASCII, 1..=120 chars.
    pub name: String,
    /// The chain address that writes for this member.
    pub writer: String,
    /// JWKS URL of the member's GA4GH Passport (visa) issuer.
    pub passport_jwks_url: String,
    /// The key ids (`kid`) of that issuer that other members accept, 1..=8.
    pub passport_key_ids: Vec<String>,
    /// The member's Beacon v2 endpoint.
    pub beacon_url: String,
}

/// The fields a member may change about itself; absent fields stay as they are.
#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MemberUpdate {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub passport_jwks_url: Option<String>,
    #[serde(default)]
    pub passport_key_ids: Option<Vec<String>>,
    #[serde(default)]
    pub beacon_url: Option<String>,
}

/// A change of membership put to the members' vote.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum MembershipChange {
    Join { member: MemberInput },
    Remove { id: String },
}

#[derive(Deserialize, Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Permit,
    Deny,
    /// "Ask me about each study": no standing permission, and not a refusal either. Only in
    /// record format 2, and only for purposes.
    Ask,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Permit => "permit",
            Decision::Deny => "deny",
            Decision::Ask => "ask",
        }
    }
}

/// The consent record format this contract writes and validates (see `validate_record_format`).
/// Records without `format` are format 1: any identifier as scope, permit or deny.
pub const RECORD_FORMAT: u64 = 2;

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ConsentItem {
    pub event_id: String,
    /// HMAC-SHA256 pseudonym of the participant, 64 lowercase hex.
    pub subject: String,
    pub scope: String,
    pub decision: Decision,
    pub version: u64,
    /// The record format (only `2` may be given); absent: the legacy format 1. Part of the
    /// signed record and of the head hash whenever it is present.
    #[serde(default)]
    pub format: Option<u64>,
    /// SHA-256 of the off-chain evidence, 64 lowercase hex.
    pub evidence: String,
    /// RFC 3339 or unix seconds (string).
    pub time: String,
    /// None: recorded by the writer without a witness (the unsigned path, institution-attested).
    #[serde(default)]
    pub proof: Option<ConsentProof>,
}

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GrantItem {
    pub event_id: String,
    pub grant_id: String,
    pub study_id: String,
    /// Merkle root of the cohort's pseudonyms, 64 lowercase hex.
    pub cohort_root: String,
    /// Unix seconds, number or decimal string.
    pub expiry: U64Flex,
}

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum QueryMsg {
    Config {},
    Consent {
        subject: String,
        scope: String,
    },
    ConsentHistory {
        subject: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    Anchor {
        writer: String,
        batch: u64,
    },
    Anchors {
        writer: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    Grant {
        grant_id: String,
    },
    Event {
        event_id: String,
    },
    Head {},
    /// The digest a participant signs for this record (its proof, if any, is ignored).
    RecordDigest {
        item: ConsentItem,
    },
    Passkeys {
        subject: String,
    },
    /// The member institutions (removed ones only with `include_removed`).
    Members {
        include_removed: Option<bool>,
    },
    Member {
        id: String,
    },
    /// The member that writes from `address`, if any (active or removed).
    MemberByWriter {
        address: String,
    },
    Network {},
    MembershipProposal {
        proposal_id: u64,
    },
    MembershipProposals {
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// The relying party a writer set for itself (`set_site_webauthn`), or null.
    SiteWebauthn {
        writer: String,
    },
    LinkOffer {
        nonce: String,
    },
    /// The group of pseudonyms linked with `subject`, or null.
    LinkGroup {
        subject: String,
    },
    /// The latest record for `scope` across `subject`'s link group (by `seq`: the one stored
    /// last), or the subject's own latest when it is not linked.
    LinkedConsent {
        subject: String,
        scope: String,
    },
}

// ---- Stored records; also the query answers ----

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ConsentRecord {
    /// 1-based position among all consents stored by this contract.
    pub seq: u64,
    pub event_id: String,
    pub subject: String,
    pub scope: String,
    pub decision: Decision,
    pub version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<u64>,
    pub evidence: String,
    pub time: String,
    pub block_height: u64,
    /// Block time in nanoseconds, as a string (exceeds JavaScript's safe integers).
    pub block_time: String,
    /// Exactly one of `signed_by` / `attested_by` (records stored before signing existed
    /// have neither and count as institution-attested).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<SignedBy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attested_by: Option<AttestedBy>,
}

/// The participant's passkey that signed a record.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct SignedBy {
    pub key_id: String,
    pub counter: u32,
    /// SHA-256 of the canonical record JSON: the signed digest (or one of `covers`).
    pub record_digest: String,
}

/// The writer (institution) that recorded a decision for the participant.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct AttestedBy {
    pub writer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub witness: Option<String>,
}

/// A participant's passkey as the chain knows it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct PasskeyRecord {
    pub subject: String,
    pub key_id: String,
    /// SEC1 P-256 public key, lowercase hex (33 bytes compressed or 65 uncompressed).
    pub public_key: String,
    /// Highest signature counter seen (0: the authenticator keeps none).
    pub counter: u32,
    /// SHA-256 of the last accepted signed message: one assertion may cover several records.
    pub last_assertion: String,
    /// "institution" or "passkey:<key_id>" (the key that signed the registration).
    pub added_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub witness: Option<String>,
    pub added_height: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<KeyRemoval>,
    /// The writer that registered the key: its assertions are checked against that writer's
    /// relying party when it set one (absent on keys stored before sites had their own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writer: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct KeyRemoval {
    pub height: u64,
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub witness: Option<String>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct PasskeysResponse {
    pub passkeys: Vec<PasskeyRecord>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct RecordDigestResponse {
    /// The canonical record JSON that is hashed.
    pub record: String,
    pub digest: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct AnchorRecord {
    /// The writer (member institution) whose audit trail this batch seals: each writer has its
    /// own stream of batches 1, 2, …
    pub writer: String,
    pub batch: u64,
    pub merkle_root: String,
    pub first_seq: u64,
    pub last_seq: u64,
    pub count: u64,
    pub block_height: u64,
    pub block_time: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct GrantRecord {
    /// 1-based position among all grants stored by this contract.
    pub seq: u64,
    pub event_id: String,
    pub grant_id: String,
    pub study_id: String,
    pub cohort_root: String,
    pub expiry: u64,
    pub block_height: u64,
    pub block_time: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Consent,
    Grant,
}

/// Index entry for an event id: what it recorded, and the digest of its canonical bytes
/// (used to tell a replay from a conflicting payload).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct EventRef {
    pub kind: EventKind,
    pub seq: u64,
    pub digest: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub admin: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webauthn: Option<WebAuthnConfig>,
}

/// Singleton: the running head hash and the counts of stored records.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct HeadState {
    pub head: String,
    pub consents: u64,
    pub anchors: u64,
    pub grants: u64,
}

// ---- Query answers that are not stored records ----

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct ConfigResponse {
    pub admin: String,
    pub writers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webauthn: Option<WebAuthnConfig>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct ConsentHistoryResponse {
    pub consents: Vec<ConsentRecord>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct AnchorsResponse {
    pub anchors: Vec<AnchorRecord>,
    /// How many batches the writer has anchored in all.
    pub total: u64,
}

/// `Response.data` of record_* / anchor_audit: per item, the seq it has (new or replayed).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ExecuteSummary {
    pub head: String,
    pub new: u64,
    pub replayed: u64,
    pub items: Vec<ItemResult>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ItemResult {
    /// Event id (record_*) or batch number as a string (anchor_audit).
    pub id: String,
    pub seq: u64,
    pub replayed: bool,
}

// ---- Membership (federation) ----

/// A member institution as the chain keeps it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct MemberRecord {
    pub id: String,
    pub name: String,
    pub writer: String,
    pub passport_jwks_url: String,
    pub passport_key_ids: Vec<String>,
    pub beacon_url: String,
    pub joined_height: u64,
    /// `admin` (bootstrap) or `proposal:<id>`.
    pub admitted_by: String,
    pub updated_height: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<MemberRemoval>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct MemberRemoval {
    pub height: u64,
    /// `self` (left) or `proposal:<id>`.
    pub by: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    Open,
    Passed,
    Rejected,
    /// Only in query answers: still open in storage, but its voting period is over.
    Expired,
}

impl ProposalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Open => "open",
            ProposalStatus::Passed => "passed",
            ProposalStatus::Rejected => "rejected",
            ProposalStatus::Expired => "expired",
        }
    }
}

/// A membership proposal and its votes. The electorate is fixed when it is proposed.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ProposalRecord {
    pub id: u64,
    pub change: MembershipChange,
    /// Member id of the proposer.
    pub proposer: String,
    pub created_height: u64,
    /// Last height at which votes are taken.
    pub expires_height: u64,
    /// Member ids entitled to vote.
    pub electorate: Vec<String>,
    pub yes: Vec<String>,
    pub no: Vec<String>,
    pub status: ProposalStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_height: Option<u64>,
}

/// Singleton: the state of the network's governance.
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkState {
    pub bootstrap_closed: bool,
    pub proposals: u64,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct MembersResponse {
    pub members: Vec<MemberRecord>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct NetworkResponse {
    pub bootstrap_closed: bool,
    pub active_members: u64,
    pub proposals: u64,
    /// Yes votes a proposal needs now: a strict majority of the active members.
    pub votes_needed: u64,
    pub voting_period_blocks: u64,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct ProposalsResponse {
    pub proposals: Vec<ProposalRecord>,
}

// ---- Participant links (federation) ----

/// A participant's offer, signed at one site, to link their pseudonym there with their
/// pseudonym at another member. Single use: its nonce can never be offered or accepted again.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct LinkOffer {
    pub nonce: String,
    pub subject: String,
    pub from_member: String,
    pub to_member: String,
    pub height: u64,
    /// Last block at which it can be accepted.
    pub expires_height: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted: Option<LinkAcceptance>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct LinkAcceptance {
    pub subject: String,
    pub height: u64,
    pub group: u64,
}

/// Pseudonyms of one participant at several members (at most one per member).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct LinkGroup {
    pub id: u64,
    pub subjects: Vec<LinkedSubject>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct LinkedSubject {
    pub subject: String,
    pub member: String,
    pub height: u64,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct LinkedConsentResponse {
    /// The newest record of the scope across the group, or null.
    pub record: Option<ConsentRecord>,
}
