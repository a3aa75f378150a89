//! Participants' passkeys on chain: registration, removal, and verification of a WebAuthn
//! assertion against a registered key (with the signature-counter rule).
//!
//! Who may change keys:
//! - the first key of a subject (or the first after every key was removed) is registered by a
//!   writer with an institution proof (a witness): enrolment, or re-binding after an identity
//!   check, visible on chain as `added_by: "institution"`;
//! - any further key needs an assertion by an active key of the same subject;
//! - a key is removed with an assertion by any active key of the subject, or by the institution
//!   with a witness (kept, visibly, as `removed.by: "institution"`).

use crate::canonical;
use crate::encoding::hex_encode;
use crate::error::{show, ContractError, Result};
use crate::msg::{Assertion, KeyProof, KeyRemoval, PasskeyRecord, WebAuthnConfig};
use crate::response::Response;
use crate::sha256::sha256;
use crate::state;
use crate::storage::{Api, Storage};
use crate::validate;
use crate::webauthn::{check_assertion, RelyingParty};

/// Credential ids are at most 1023 bytes (WebAuthn L3); base64url of that is 1364 chars.
pub const MAX_KEY_ID_LEN: usize = 1364;

/// A credential id: 1..=1364 chars of unpadded base64url.
pub fn validate_key_id(field: &str, s: &str) -> Result<()> {
    let ok = !s.is_empty()
        && s.len() <= MAX_KEY_ID_LEN
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(ContractError::Invalid(format!("{field} must be 1..={MAX_KEY_ID_LEN} chars of base64url: {}", show(s))))
    }
}

/// A SEC1 P-256 public key in lowercase hex: 65 bytes (0x04 ‖ x ‖ y) or 33 (0x02/0x03 ‖ x).
fn validate_public_key(s: &str) -> Result<Vec<u8>> {
    let bytes = crate::encoding::hex_decode(s).unwrap_or_default();
    let ok = matches!((bytes.len(), bytes.first()), (65, Some(0x04)) | (33, Some(0x02 | 0x03)));
    if ok {
        Ok(bytes)
    } else {
        Err(ContractError::Invalid(format!(
            "public_key must be a SEC1 P-256 key in lowercase hex (33 or 65 bytes): {}",
            show(s)
        )))
    }
}

/// A witness: who vouched for an institution-attested change (a staff pseudonym or role).
pub fn validate_witness(w: &str) -> Result<()> {
    validate::ident("witness", w)
}

/// The relying party a key's assertions are checked against: that of the writer (site) that
/// registered the key, when it set one (`set_site_webauthn`), else the contract's. A passkey is
/// bound to one site's RP id, so with several sites each needs its own.
fn webauthn_config(s: &dyn Storage, key: &PasskeyRecord) -> Result<WebAuthnConfig> {
    if let Some(writer) = &key.writer {
        if let Some(rp) = state::load_site_rp(s, writer)? {
            return Ok(rp);
        }
    }
    state::load_config(s)?
        .webauthn
        .ok_or_else(|| ContractError::Rejected("no WebAuthn relying party is configured (set_webauthn)".into()))
}

/// Whether `subject` holds at least one passkey that was not removed.
pub fn has_active_key(s: &dyn Storage, subject: &[u8; 32]) -> Result<bool> {
    Ok(state::passkeys(s, subject)?.iter().any(|k| k.removed.is_none()))
}

/// Verifies `a` as an assertion over `challenge` by the active passkey `a.key_id` of `subject`,
/// applies the counter rule and stores the key's new counter. Returns the counter signed.
pub fn verify_assertion(
    s: &mut dyn Storage,
    api: &dyn Api,
    subject: &[u8; 32],
    a: &Assertion,
    challenge: &[u8],
) -> Result<u32> {
    validate_key_id("key_id", &a.key_id)?;
    let mut key = state::load_passkey(s, subject, &a.key_id)?.ok_or_else(|| {
        ContractError::Rejected(format!(
            "assertion refused: key {} is not registered for this subject",
            show(&a.key_id)
        ))
    })?;
    if key.removed.is_some() {
        return Err(ContractError::Rejected(format!("assertion refused: key {} was removed", show(&a.key_id))));
    }
    let cfg = webauthn_config(s, &key)?;
    let rp = RelyingParty { origin: &cfg.origin, rp_id: &cfg.rp_id };
    let checked = check_assertion(&rp, challenge, &a.authenticator_data, &a.client_data_json, &a.signature)?;
    let public_key = crate::encoding::hex_decode(&key.public_key)
        .ok_or_else(|| ContractError::Corrupt("stored public key is not hex".into()))?;
    let valid = api
        .secp256r1_verify(&checked.prehash, &checked.signature, &public_key)
        .map_err(|e| ContractError::Rejected(format!("assertion refused: {e}")))?;
    if !valid {
        return Err(ContractError::Rejected(format!(
            "assertion refused: the signature does not verify with key {}",
            show(&a.key_id)
        )));
    }
    let assertion_id = hex_encode(&checked.prehash);
    let fresh = (checked.counter == 0 && key.counter == 0) || checked.counter > key.counter;
    // The same assertion may cover several records (one decision, several scopes).
    if !fresh && assertion_id != key.last_assertion {
        return Err(ContractError::Rejected(format!(
            "assertion refused: replayed (signature counter {} is not greater than {})",
            checked.counter, key.counter
        )));
    }
    key.counter = key.counter.max(checked.counter);
    key.last_assertion = assertion_id;
    state::save_passkey(s, subject, &key)?;
    Ok(checked.counter)
}

#[allow(clippy::too_many_arguments)]
pub fn register(
    s: &mut dyn Storage,
    api: &dyn Api,
    height: u64,
    writer: &str,
    subject_hex: &str,
    key_id: &str,
    public_key: &str,
    proof: &KeyProof,
) -> Result<Response> {
    let subject = validate::digest("subject", subject_hex)?;
    validate_key_id("key_id", key_id)?;
    validate_public_key(public_key)?;
    if let Some(existing) = state::load_passkey(s, &subject, key_id)? {
        if existing.public_key == public_key && existing.removed.is_none() {
            return Ok(key_response("register_passkey", "passkey_registered", key_id, false));
        }
        return Err(ContractError::Conflict(format!("key_id {} is already registered for this subject", show(key_id))));
    }
    let has_active = has_active_key(s, &subject)?;
    let (added_by, witness) = match proof {
        KeyProof::Institution { witness } => {
            validate_witness(witness)?;
            if has_active {
                return Err(ContractError::Rejected(
                    "this subject has active passkeys: a new one must be signed by one of them".into(),
                ));
            }
            ("institution".to_string(), Some(witness.clone()))
        }
        KeyProof::Passkey(a) => {
            let challenge = sha256(
                canonical::key_change_json("register_passkey", subject_hex, key_id, Some(public_key)).as_bytes(),
            );
            verify_assertion(s, api, &subject, a, &challenge)?;
            (format!("passkey:{}", a.key_id), None)
        }
    };
    let record = PasskeyRecord {
        subject: subject_hex.to_string(),
        key_id: key_id.to_string(),
        public_key: public_key.to_string(),
        counter: 0,
        last_assertion: String::new(),
        added_by,
        witness,
        added_height: height,
        removed: None,
        writer: Some(writer.to_string()),
    };
    state::save_passkey(s, &subject, &record)?;
    Ok(key_response("register_passkey", "passkey_registered", key_id, true))
}

pub fn remove(
    s: &mut dyn Storage,
    api: &dyn Api,
    height: u64,
    subject_hex: &str,
    key_id: &str,
    proof: &KeyProof,
) -> Result<Response> {
    let subject = validate::digest("subject", subject_hex)?;
    validate_key_id("key_id", key_id)?;
    let key = state::load_passkey(s, &subject, key_id)?
        .ok_or_else(|| ContractError::Rejected(format!("key {} is not registered for this subject", show(key_id))))?;
    if key.removed.is_some() {
        return Ok(key_response("remove_passkey", "passkey_removed", key_id, false));
    }
    let removal = match proof {
        KeyProof::Institution { witness } => {
            validate_witness(witness)?;
            KeyRemoval { height, by: "institution".into(), witness: Some(witness.clone()) }
        }
        KeyProof::Passkey(a) => {
            let challenge = sha256(canonical::key_change_json("remove_passkey", subject_hex, key_id, None).as_bytes());
            verify_assertion(s, api, &subject, a, &challenge)?;
            KeyRemoval { height, by: format!("passkey:{}", a.key_id), witness: None }
        }
    };
    // Reload: verifying may have moved the signing key's counter (it may be this key).
    let mut key =
        state::load_passkey(s, &subject, key_id)?.ok_or_else(|| ContractError::Corrupt("key vanished".into()))?;
    key.removed = Some(removal);
    state::save_passkey(s, &subject, &key)?;
    Ok(key_response("remove_passkey", "passkey_removed", key_id, true))
}

fn key_response(action: &str, event: &str, key_id: &str, changed: bool) -> Response {
    Response::new()
        .add_attribute("action", action)
        .add_attribute("changed", changed)
        .add_event(event, &[("key_id", key_id.to_string()), ("changed", changed.to_string())])
}
