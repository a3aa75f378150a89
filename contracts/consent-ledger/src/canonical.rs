//! Canonical bytes of stored items, and the running head hash.
//!
//! Off-chain verifiers recompute the head from the records, so this encoding is part of
//! the contract's interface (README "Head hash"):
//!   str(x) = u32 big-endian byte length ‖ UTF-8 bytes;  u64(x) = 8 bytes big-endian
//!   consent = 0x01 ‖ str(event_id) ‖ str(subject) ‖ str(scope) ‖ str(decision)
//!                  ‖ u64(version) ‖ str(evidence) ‖ str(time)
//!   anchor  = 0x02 ‖ u64(batch) ‖ str(merkle_root) ‖ u64(first_seq) ‖ u64(last_seq) ‖ u64(count)
//!   grant   = 0x03 ‖ str(event_id) ‖ str(grant_id) ‖ str(study_id) ‖ str(cohort_root) ‖ u64(expiry)
//!   consent with a format = 0x04 ‖ u64(format) ‖ the consent fields after the tag, as above
//!   head_0 = 32 zero bytes;  head_n = sha256(head_{n-1} ‖ canonical(item_n)), for every newly
//!   stored item in message order (replays do not move the head).
//! Every field is length-prefixed or fixed-size, so distinct items never share an encoding.

use crate::msg::{AnchorRecord, ConsentItem, ConsentRecord, GrantRecord};
use crate::sha256::Sha256;

pub const TAG_CONSENT: u8 = 0x01;
pub const TAG_ANCHOR: u8 = 0x02;
pub const TAG_GRANT: u8 = 0x03;
pub const TAG_CONSENT_FORMAT: u8 = 0x04;

struct Enc(Vec<u8>);

impl Enc {
    fn new(tag: u8) -> Self {
        Enc(vec![tag])
    }
    fn str(mut self, s: &str) -> Self {
        self.0.extend_from_slice(&(s.len() as u32).to_be_bytes());
        self.0.extend_from_slice(s.as_bytes());
        self
    }
    fn u64(mut self, n: u64) -> Self {
        self.0.extend_from_slice(&n.to_be_bytes());
        self
    }
}

/// Only the payload fields: seq and block data are assigned by the chain, not by the writer.
/// A record with a format gets its own tag and the format first, so a format-2 record never
/// shares its bytes with a format-1 one.
pub fn consent(r: &ConsentRecord) -> Vec<u8> {
    let start = match r.format {
        None => Enc::new(TAG_CONSENT),
        Some(f) => Enc::new(TAG_CONSENT_FORMAT).u64(f),
    };
    start
        .str(&r.event_id)
        .str(&r.subject)
        .str(&r.scope)
        .str(r.decision.as_str())
        .u64(r.version)
        .str(&r.evidence)
        .str(&r.time)
        .0
}

pub fn anchor(r: &AnchorRecord) -> Vec<u8> {
    Enc::new(TAG_ANCHOR).u64(r.batch).str(&r.merkle_root).u64(r.first_seq).u64(r.last_seq).u64(r.count).str(&r.writer).0
}

pub fn grant(r: &GrantRecord) -> Vec<u8> {
    Enc::new(TAG_GRANT).str(&r.event_id).str(&r.grant_id).str(&r.study_id).str(&r.cohort_root).u64(r.expiry).0
}

/// The canonical JSON of a consent record: what a participant signs (its SHA-256 is the
/// WebAuthn challenge). RFC 8785 for these values: keys sorted, no whitespace, `version` a
/// plain integer. Every string field is validated to a charset that JSON never escapes
/// (`[A-Za-z0-9:_.-]`, lowercase hex, RFC 3339 / decimal time) before this is called, so the
/// strings are written as they are. contracts-client `consentRecordJson` writes the same bytes.
/// With a format, `"format":<n>` sits between `evidence` and `scope` (sorted keys).
pub fn consent_record_json(i: &ConsentItem) -> String {
    let format = i.format.map(|f| format!(r#""format":{f},"#)).unwrap_or_default();
    format!(
        r#"{{"decision":"{}","event_id":"{}","evidence":"{}",{}"scope":"{}","subject":"{}","time":"{}","version":{}}}"#,
        i.decision.as_str(),
        i.event_id,
        i.evidence,
        format,
        i.scope,
        i.subject,
        i.time,
        i.version
    )
}

/// SHA-256 of `consent_record_json`.
pub fn consent_record_digest(i: &ConsentItem) -> [u8; 32] {
    crate::sha256::sha256(consent_record_json(i).as_bytes())
}

/// The canonical JSON array of record digests one assertion covers: `["<hex>","<hex>"]`.
pub fn covers_json(digests: &[String]) -> String {
    let quoted: Vec<String> = digests.iter().map(|d| format!("\"{d}\"")).collect();
    format!("[{}]", quoted.join(","))
}

/// What a passkey signs to register another key or remove one (canonical JSON, keys sorted).
pub fn key_change_json(action: &str, subject: &str, key_id: &str, public_key: Option<&str>) -> String {
    match public_key {
        Some(pk) => format!(r#"{{"action":"{action}","key_id":"{key_id}","public_key":"{pk}","subject":"{subject}"}}"#),
        None => format!(r#"{{"action":"{action}","key_id":"{key_id}","subject":"{subject}"}}"#),
    }
}

/// head' = sha256(head ‖ item_bytes)
pub fn next_head(head: &[u8; 32], item_bytes: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(head);
    h.update(item_bytes);
    h.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg::Decision;

    #[test]
    fn consent_encoding_is_length_prefixed() {
        let r = ConsentRecord {
            seq: 9,
            event_id: "e1".into(),
            subject: "ab".into(),
            scope: "s".into(),
            decision: Decision::Deny,
            version: 2,
            format: None,
            evidence: "cd".into(),
            time: "0".into(),
            block_height: 5,
            block_time: "7".into(),
            signed_by: None,
            attested_by: None,
        };
        let mut want = vec![1u8];
        for part in [&b"e1"[..], b"ab", b"s", b"deny"] {
            want.extend_from_slice(&(part.len() as u32).to_be_bytes());
            want.extend_from_slice(part);
        }
        want.extend_from_slice(&2u64.to_be_bytes());
        for part in [&b"cd"[..], b"0"] {
            want.extend_from_slice(&(part.len() as u32).to_be_bytes());
            want.extend_from_slice(part);
        }
        assert_eq!(consent(&r), want);
        // seq and block data are not part of the payload.
        let mut other = r.clone();
        other.seq = 1;
        other.block_height = 99;
        assert_eq!(consent(&other), want);
        // A format moves the record to its own tag, with the format before the fields.
        let mut formatted = r.clone();
        formatted.format = Some(2);
        let mut want2 = vec![4u8];
        want2.extend_from_slice(&2u64.to_be_bytes());
        want2.extend_from_slice(&want[1..]);
        assert_eq!(consent(&formatted), want2);
    }

    #[test]
    fn consent_record_json_is_sorted_and_compact() {
        let i = ConsentItem {
            event_id: "evt:1".into(),
            subject: "ab".into(),
            scope: "purpose:GRU".into(),
            decision: Decision::Permit,
            version: 12,
            format: None,
            evidence: "cd".into(),
            time: "1700000000".into(),
            proof: None,
        };
        assert_eq!(
            consent_record_json(&i),
            r#"{"decision":"permit","event_id":"evt:1","evidence":"cd","scope":"purpose:GRU","subject":"ab","time":"1700000000","version":12}"#
        );
        let ask = ConsentItem { decision: Decision::Ask, format: Some(2), ..i };
        assert_eq!(
            consent_record_json(&ask),
            r#"{"decision":"ask","event_id":"evt:1","evidence":"cd","format":2,"scope":"purpose:GRU","subject":"ab","time":"1700000000","version":12}"#
        );
        assert_eq!(covers_json(&["aa".into(), "bb".into()]), r#"["aa","bb"]"#);
    }

    #[test]
    fn next_head_is_sha256_of_concatenation() {
        let head = [7u8; 32];
        let mut cat = head.to_vec();
        cat.extend_from_slice(b"item");
        assert_eq!(next_head(&head, b"item"), crate::sha256::sha256(&cat));
    }
}
