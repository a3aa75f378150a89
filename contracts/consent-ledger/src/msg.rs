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
}

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ExecuteMsg {
    AddWriter { address: String },
    RemoveWriter { address: String },
    RecordConsents { items: Vec<ConsentItem> },
    AnchorAudit { batch: u64, merkle_root: String, first_seq: u64, last_seq: u64, count: u64 },
    RecordGrants { items: Vec<GrantItem> },
}

#[derive(Deserialize, Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Permit,
    Deny,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Permit => "permit",
            Decision::Deny => "deny",
        }
    }
}

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ConsentItem {
    pub event_id: String,
    /// HMAC-SHA256 pseudonym of the participant, 64 lowercase hex.
    pub subject: String,
    pub scope: String,
    pub decision: Decision,
    pub version: u64,
    /// SHA-256 of the off-chain evidence, 64 lowercase hex.
    pub evidence: String,
    /// RFC 3339 or unix seconds (string).
    pub time: String,
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
    Consent { subject: String, scope: String },
    ConsentHistory { subject: String, start_after: Option<u64>, limit: Option<u32> },
    Anchor { batch: u64 },
    Anchors { start_after: Option<u64>, limit: Option<u32> },
    Grant { grant_id: String },
    Event { event_id: String },
    Head {},
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
    pub evidence: String,
    pub time: String,
    pub block_height: u64,
    /// Block time in nanoseconds, as a string (exceeds JavaScript's safe integers).
    pub block_time: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct AnchorRecord {
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
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct ConsentHistoryResponse {
    pub consents: Vec<ConsentRecord>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct AnchorsResponse {
    pub anchors: Vec<AnchorRecord>,
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
