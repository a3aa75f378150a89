//! All storage access of the contract.
//!
//! Key scheme: every key is `ns(name) ‖ components` where
//!   ns(name)   = u16 big-endian length ‖ name          (cw-storage-plus style namespace)
//!   lp(bytes)  = u16 big-endian length ‖ bytes         (variable-length component)
//!   fixed      = 32-byte subject digest, 8-byte big-endian u64
//! Because the namespace header and every component are self-delimiting, NO key is a prefix
//! of any other key (of the same or a different kind). This matters: the simulated VM
//! (@oraichain/cosmwasm-vm-js) compares keys as equal when one is a prefix of the other,
//! so `r:k` and `r:kk` would overwrite each other.
//!
//! | namespace        | components                | value                      |
//! |------------------|---------------------------|----------------------------|
//! | `config`         | -                         | Config JSON                |
//! | `head`           | -                         | HeadState JSON             |
//! | `writer`         | lp(address)               | address (UTF-8)            |
//! | `event`          | lp(event_id)              | EventRef JSON              |
//! | `consent_hist`   | subject(32) ‖ seq(u64)    | ConsentRecord JSON         |
//! | `consent_latest` | subject(32) ‖ lp(scope)   | ConsentRecord JSON         |
//! | `anchor`         | batch(u64)                | AnchorRecord JSON          |
//! | `grant`          | lp(grant_id)              | GrantRecord JSON           |
//! | `passkey`        | subject(32) ‖ lp(key_id)  | PasskeyRecord JSON         |
//! | `network`        | -                         | NetworkState JSON          |
//! | `member`         | lp(member_id)             | MemberRecord JSON          |
//! | `member_writer`  | lp(address)               | member id (UTF-8)          |
//! | `proposal`       | id(u64)                   | ProposalRecord JSON        |
//!
//! Range scans use an explicit [start, end) inside one namespace and re-check every returned
//! key in Rust, so a host that gets bounds slightly wrong cannot leak foreign entries.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{ContractError, Result};
use crate::msg::{
    AnchorRecord, Config, ConsentRecord, EventRef, GrantRecord, HeadState, LinkGroup, LinkOffer, MemberRecord,
    NetworkState, PasskeyRecord, ProposalRecord, WebAuthnConfig,
};
use crate::storage::{Order, Storage};
use crate::validate;

const NS_CONFIG: &[u8] = b"config";
const NS_HEAD: &[u8] = b"head";
const NS_WRITER: &[u8] = b"writer";
const NS_EVENT: &[u8] = b"event";
const NS_CONSENT_HIST: &[u8] = b"consent_hist";
const NS_CONSENT_LATEST: &[u8] = b"consent_latest";
const NS_ANCHOR: &[u8] = b"anchor";
const NS_ANCHOR_COUNT: &[u8] = b"anchor_count";
const NS_GRANT: &[u8] = b"grant";
const NS_PASSKEY: &[u8] = b"passkey";
const NS_NETWORK: &[u8] = b"network";
const NS_MEMBER: &[u8] = b"member";
const NS_MEMBER_WRITER: &[u8] = b"member_writer";
const NS_PROPOSAL: &[u8] = b"proposal";
const NS_SITE_RP: &[u8] = b"site_rp";
const NS_LINK_OFFER: &[u8] = b"link_offer";
const NS_LINK_OF: &[u8] = b"link_of";
const NS_LINK_GROUP: &[u8] = b"link_group";
const NS_LINK_COUNT: &[u8] = b"link_count";

// ---- key construction ----

fn push_lp(key: &mut Vec<u8>, bytes: &[u8]) {
    // Ids are validated to <= 128 bytes and addresses to <= 90, far below u16::MAX.
    assert!(bytes.len() <= u16::MAX as usize, "key component too long");
    key.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
    key.extend_from_slice(bytes);
}

fn ns(name: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(2 + name.len() + 48);
    push_lp(&mut k, name);
    k
}

pub fn config_key() -> Vec<u8> {
    ns(NS_CONFIG)
}

pub fn head_key() -> Vec<u8> {
    ns(NS_HEAD)
}

pub fn writer_key(addr: &str) -> Vec<u8> {
    let mut k = ns(NS_WRITER);
    push_lp(&mut k, addr.as_bytes());
    k
}

pub fn event_key(event_id: &str) -> Vec<u8> {
    let mut k = ns(NS_EVENT);
    push_lp(&mut k, event_id.as_bytes());
    k
}

fn consent_hist_prefix(subject: &[u8; 32]) -> Vec<u8> {
    let mut k = ns(NS_CONSENT_HIST);
    k.extend_from_slice(subject);
    k
}

pub fn consent_hist_key(subject: &[u8; 32], seq: u64) -> Vec<u8> {
    let mut k = consent_hist_prefix(subject);
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

pub fn consent_latest_key(subject: &[u8; 32], scope: &str) -> Vec<u8> {
    let mut k = ns(NS_CONSENT_LATEST);
    k.extend_from_slice(subject);
    push_lp(&mut k, scope.as_bytes());
    k
}

fn anchor_prefix(writer: &str) -> Vec<u8> {
    let mut k = ns(NS_ANCHOR);
    push_lp(&mut k, writer.as_bytes());
    k
}

/// One audit-anchor stream per writer: each member institution numbers its own batches.
pub fn anchor_key(writer: &str, batch: u64) -> Vec<u8> {
    let mut k = anchor_prefix(writer);
    k.extend_from_slice(&batch.to_be_bytes());
    k
}

pub fn anchor_count_key(writer: &str) -> Vec<u8> {
    let mut k = ns(NS_ANCHOR_COUNT);
    push_lp(&mut k, writer.as_bytes());
    k
}

pub fn grant_key(grant_id: &str) -> Vec<u8> {
    let mut k = ns(NS_GRANT);
    push_lp(&mut k, grant_id.as_bytes());
    k
}

fn passkey_prefix(subject: &[u8; 32]) -> Vec<u8> {
    let mut k = ns(NS_PASSKEY);
    k.extend_from_slice(subject);
    k
}

pub fn passkey_key(subject: &[u8; 32], key_id: &str) -> Vec<u8> {
    let mut k = passkey_prefix(subject);
    push_lp(&mut k, key_id.as_bytes());
    k
}

pub fn member_key(id: &str) -> Vec<u8> {
    let mut k = ns(NS_MEMBER);
    push_lp(&mut k, id.as_bytes());
    k
}

pub fn member_writer_key(addr: &str) -> Vec<u8> {
    let mut k = ns(NS_MEMBER_WRITER);
    push_lp(&mut k, addr.as_bytes());
    k
}

pub fn proposal_key(id: u64) -> Vec<u8> {
    let mut k = ns(NS_PROPOSAL);
    k.extend_from_slice(&id.to_be_bytes());
    k
}

/// Smallest byte string greater than every string starting with `prefix`.
/// Our prefixes start with 0x00 (namespace length high byte), so one always exists.
fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    unreachable!("prefix of only 0xff bytes")
}

// ---- JSON values ----

fn load<T: DeserializeOwned>(s: &dyn Storage, key: &[u8]) -> Result<Option<T>> {
    match s.get(key) {
        None => Ok(None),
        Some(v) => serde_json::from_slice(&v).map(Some).map_err(|e| ContractError::Corrupt(e.to_string())),
    }
}

fn save<T: Serialize>(s: &mut dyn Storage, key: &[u8], value: &T) -> Result<()> {
    let v = serde_json::to_vec(value).map_err(|e| ContractError::Corrupt(e.to_string()))?;
    s.set(key, &v);
    Ok(())
}

/// Values of the entries under `prefix` whose key sorts after `prefix ‖ after`
/// (fixed-width suffixes only), ascending, at most `limit`.
fn page<T: DeserializeOwned>(s: &dyn Storage, prefix: &[u8], after: Option<&[u8]>, limit: usize) -> Result<Vec<T>> {
    let start = match after {
        // Exclusive start: prefix ‖ after ‖ 0x00 is the first key after `prefix ‖ after`.
        Some(a) => [prefix, a, &[0u8]].concat(),
        None => prefix.to_vec(),
    };
    let end = prefix_end(prefix);
    let min_exclusive = after.map(|a| [prefix, a].concat());
    let mut out = Vec::new();
    for (k, v) in s.range(&start, &end, Order::Ascending) {
        if out.len() >= limit {
            break;
        }
        // Defensive re-check of the bounds (see module docs).
        if !k.starts_with(prefix) || min_exclusive.as_deref().map_or(false, |m| k.as_slice() <= m) {
            continue;
        }
        out.push(serde_json::from_slice(&v).map_err(|e| ContractError::Corrupt(e.to_string()))?);
    }
    Ok(out)
}

// ---- typed accessors ----

pub fn load_config(s: &dyn Storage) -> Result<Config> {
    load(s, &config_key())?.ok_or_else(|| ContractError::Corrupt("config missing".into()))
}

pub fn save_config(s: &mut dyn Storage, c: &Config) -> Result<()> {
    save(s, &config_key(), c)
}

pub fn load_head(s: &dyn Storage) -> Result<HeadState> {
    load(s, &head_key())?.ok_or_else(|| ContractError::Corrupt("head missing".into()))
}

pub fn save_head(s: &mut dyn Storage, h: &HeadState) -> Result<()> {
    save(s, &head_key(), h)
}

pub fn is_writer(s: &dyn Storage, addr: &str) -> bool {
    s.get(&writer_key(addr)).is_some()
}

pub fn add_writer(s: &mut dyn Storage, addr: &str) {
    // Value = the address itself (never empty: CosmWasm forbids empty values).
    s.set(&writer_key(addr), addr.as_bytes());
}

pub fn remove_writer(s: &mut dyn Storage, addr: &str) {
    s.remove(&writer_key(addr));
}

pub fn writers(s: &dyn Storage) -> Result<Vec<String>> {
    let prefix = ns(NS_WRITER);
    s.range(&prefix, &prefix_end(&prefix), Order::Ascending)
        .filter(|(k, _)| k.starts_with(&prefix))
        .map(|(_, v)| String::from_utf8(v).map_err(|e| ContractError::Corrupt(e.to_string())))
        .collect()
}

pub fn load_event(s: &dyn Storage, event_id: &str) -> Result<Option<EventRef>> {
    load(s, &event_key(event_id))
}

pub fn save_event(s: &mut dyn Storage, event_id: &str, e: &EventRef) -> Result<()> {
    save(s, &event_key(event_id), e)
}

pub fn load_latest_consent(s: &dyn Storage, subject: &[u8; 32], scope: &str) -> Result<Option<ConsentRecord>> {
    load(s, &consent_latest_key(subject, scope))
}

/// Stores a new consent both in the subject's history and as the latest for its scope.
pub fn save_consent(s: &mut dyn Storage, subject: &[u8; 32], r: &ConsentRecord) -> Result<()> {
    save(s, &consent_hist_key(subject, r.seq), r)?;
    save(s, &consent_latest_key(subject, &r.scope), r)
}

pub fn consent_history(
    s: &dyn Storage,
    subject: &[u8; 32],
    start_after: Option<u64>,
    limit: usize,
) -> Result<Vec<ConsentRecord>> {
    let after = start_after.map(u64::to_be_bytes);
    page(s, &consent_hist_prefix(subject), after.as_ref().map(|a| &a[..]), limit)
}

pub fn load_anchor(s: &dyn Storage, writer: &str, batch: u64) -> Result<Option<AnchorRecord>> {
    load(s, &anchor_key(writer, batch))
}

/// Stores an anchor in its writer's stream and counts it there.
pub fn save_anchor(s: &mut dyn Storage, a: &AnchorRecord) -> Result<()> {
    save(s, &anchor_key(&a.writer, a.batch), a)?;
    save(s, &anchor_count_key(&a.writer), &a.batch)
}

/// How many batches `writer` has anchored (its next batch is this + 1).
pub fn anchor_count(s: &dyn Storage, writer: &str) -> Result<u64> {
    Ok(load(s, &anchor_count_key(writer))?.unwrap_or(0))
}

pub fn anchors(s: &dyn Storage, writer: &str, start_after: Option<u64>, limit: usize) -> Result<Vec<AnchorRecord>> {
    let after = start_after.map(u64::to_be_bytes);
    page(s, &anchor_prefix(writer), after.as_ref().map(|a| &a[..]), limit)
}

pub fn load_grant(s: &dyn Storage, grant_id: &str) -> Result<Option<GrantRecord>> {
    load(s, &grant_key(grant_id))
}

pub fn save_grant(s: &mut dyn Storage, g: &GrantRecord) -> Result<()> {
    save(s, &grant_key(&g.grant_id), g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemStorage;

    fn all_sample_keys() -> Vec<Vec<u8>> {
        let subj = [0xffu8; 32];
        let subj2 = [0x00u8; 32];
        vec![
            config_key(),
            head_key(),
            writer_key("k"),
            writer_key("kk"),
            event_key("k"),
            event_key("kk"),
            event_key(""),
            consent_hist_key(&subj, 1),
            consent_hist_key(&subj, 256),
            consent_hist_key(&subj2, 1),
            consent_latest_key(&subj, "k"),
            consent_latest_key(&subj, "kk"),
            consent_latest_key(&subj2, "k"),
            anchor_key("k", 1),
            anchor_key("k", u64::MAX),
            anchor_key("kk", 1),
            anchor_count_key("k"),
            anchor_count_key("kk"),
            grant_key("k"),
            grant_key("kk"),
            ns(NS_NETWORK),
            member_key("k"),
            member_key("kk"),
            member_writer_key("k"),
            member_writer_key("kk"),
            proposal_key(1),
            proposal_key(u64::MAX),
        ]
    }

    #[test]
    fn no_key_is_a_prefix_of_another() {
        let keys = all_sample_keys();
        for (i, a) in keys.iter().enumerate() {
            for (j, b) in keys.iter().enumerate() {
                if i != j {
                    assert!(!b.starts_with(a), "key {i} is a prefix of key {j}");
                }
            }
        }
    }

    #[test]
    fn ids_k_and_kk_are_distinct_entries() {
        let mut s = MemStorage::new();
        let rec = |id: &str| EventRef { kind: crate::msg::EventKind::Grant, seq: id.len() as u64, digest: id.into() };
        save_event(&mut s, "k", &rec("k")).unwrap();
        save_event(&mut s, "kk", &rec("kk")).unwrap();
        assert_eq!(load_event(&s, "k").unwrap().unwrap().digest, "k");
        assert_eq!(load_event(&s, "kk").unwrap().unwrap().digest, "kk");
        add_writer(&mut s, "k");
        add_writer(&mut s, "kk");
        assert!(is_writer(&s, "k") && is_writer(&s, "kk") && !is_writer(&s, "kkk"));
        remove_writer(&mut s, "k");
        assert_eq!(writers(&s).unwrap(), vec!["kk".to_string()]);
    }

    #[test]
    fn prefix_end_carries() {
        assert_eq!(prefix_end(&[0, 1, 0xff, 0xff]), vec![0, 2]);
        assert_eq!(prefix_end(&[0, 5]), vec![0, 6]);
    }
}

pub fn load_passkey(s: &dyn Storage, subject: &[u8; 32], key_id: &str) -> Result<Option<PasskeyRecord>> {
    load(s, &passkey_key(subject, key_id))
}

pub fn save_passkey(s: &mut dyn Storage, subject: &[u8; 32], p: &PasskeyRecord) -> Result<()> {
    save(s, &passkey_key(subject, &p.key_id), p)
}

/// Every passkey ever registered for `subject` (removed ones included), by key id.
pub fn passkeys(s: &dyn Storage, subject: &[u8; 32]) -> Result<Vec<PasskeyRecord>> {
    let prefix = passkey_prefix(subject);
    s.range(&prefix, &prefix_end(&prefix), Order::Ascending)
        .filter(|(k, _)| k.starts_with(&prefix))
        .map(|(_, v)| serde_json::from_slice(&v).map_err(|e| ContractError::Corrupt(e.to_string())))
        .collect()
}

/// The governance singleton; absent before the first membership call (all defaults).
pub fn load_network(s: &dyn Storage) -> Result<NetworkState> {
    Ok(load(s, &ns(NS_NETWORK))?.unwrap_or_default())
}

pub fn save_network(s: &mut dyn Storage, n: &NetworkState) -> Result<()> {
    save(s, &ns(NS_NETWORK), n)
}

pub fn load_member(s: &dyn Storage, id: &str) -> Result<Option<MemberRecord>> {
    load(s, &member_key(id))
}

/// Stores a member and indexes its writer address (kept after removal, so records written
/// from that address stay attributable).
pub fn save_member(s: &mut dyn Storage, m: &MemberRecord) -> Result<()> {
    s.set(&member_writer_key(&m.writer), m.id.as_bytes());
    save(s, &member_key(&m.id), m)
}

/// The id of the member that writes (or wrote) from `addr`.
pub fn member_id_by_writer(s: &dyn Storage, addr: &str) -> Result<Option<String>> {
    s.get(&member_writer_key(addr))
        .map(|v| String::from_utf8(v).map_err(|e| ContractError::Corrupt(e.to_string())))
        .transpose()
}

/// Every member ever admitted (removed ones included), by id.
pub fn members(s: &dyn Storage) -> Result<Vec<MemberRecord>> {
    let prefix = ns(NS_MEMBER);
    s.range(&prefix, &prefix_end(&prefix), Order::Ascending)
        .filter(|(k, _)| k.starts_with(&prefix))
        .map(|(_, v)| serde_json::from_slice(&v).map_err(|e| ContractError::Corrupt(e.to_string())))
        .collect()
}

pub fn load_proposal(s: &dyn Storage, id: u64) -> Result<Option<ProposalRecord>> {
    load(s, &proposal_key(id))
}

pub fn save_proposal(s: &mut dyn Storage, p: &ProposalRecord) -> Result<()> {
    save(s, &proposal_key(p.id), p)
}

pub fn proposals(s: &dyn Storage, start_after: Option<u64>, limit: usize) -> Result<Vec<ProposalRecord>> {
    let after = start_after.map(u64::to_be_bytes);
    page(s, &ns(NS_PROPOSAL), after.as_ref().map(|a| &a[..]), limit)
}

// ---- site relying parties and participant links ----

fn site_rp_key(writer: &str) -> Vec<u8> {
    let mut k = ns(NS_SITE_RP);
    push_lp(&mut k, writer.as_bytes());
    k
}

pub fn load_site_rp(s: &dyn Storage, writer: &str) -> Result<Option<WebAuthnConfig>> {
    load(s, &site_rp_key(writer))
}

pub fn save_site_rp(s: &mut dyn Storage, writer: &str, rp: &WebAuthnConfig) -> Result<()> {
    save(s, &site_rp_key(writer), rp)
}

fn link_offer_key(nonce: &[u8; 32]) -> Vec<u8> {
    let mut k = ns(NS_LINK_OFFER);
    k.extend_from_slice(nonce);
    k
}

pub fn load_link_offer(s: &dyn Storage, nonce: &[u8; 32]) -> Result<Option<LinkOffer>> {
    load(s, &link_offer_key(nonce))
}

pub fn save_link_offer(s: &mut dyn Storage, nonce: &[u8; 32], o: &LinkOffer) -> Result<()> {
    save(s, &link_offer_key(nonce), o)
}

fn link_of_key(subject: &[u8; 32]) -> Vec<u8> {
    let mut k = ns(NS_LINK_OF);
    k.extend_from_slice(subject);
    k
}

/// The id of the link group holding `subject`, if any.
pub fn link_group_of(s: &dyn Storage, subject: &[u8; 32]) -> Result<Option<u64>> {
    load(s, &link_of_key(subject))
}

fn link_group_key(id: u64) -> Vec<u8> {
    let mut k = ns(NS_LINK_GROUP);
    k.extend_from_slice(&id.to_be_bytes());
    k
}

pub fn load_link_group(s: &dyn Storage, id: u64) -> Result<Option<LinkGroup>> {
    load(s, &link_group_key(id))
}

/// Stores a group and indexes each of its subjects.
pub fn save_link_group(s: &mut dyn Storage, g: &LinkGroup) -> Result<()> {
    for m in &g.subjects {
        let subject =
            validate::digest("stored subject", &m.subject).map_err(|e| ContractError::Corrupt(e.to_string()))?;
        save(s, &link_of_key(&subject), &g.id)?;
    }
    save(s, &link_group_key(g.id), g)
}

/// A fresh link-group id (1, 2, ...).
pub fn next_link_group_id(s: &mut dyn Storage) -> Result<u64> {
    let next = load::<u64>(s, &ns(NS_LINK_COUNT))?.unwrap_or(0) + 1;
    save(s, &ns(NS_LINK_COUNT), &next)?;
    Ok(next)
}
