//! Contract logic, pure over `Storage` + `Api` (host-testable; the wasm glue is in `abi`).
//!
//! Atomicity: every instantiate/execute runs against an `Overlay` and its writes are applied
//! only if the handler returns `Ok`. On a real chain a failed call is rolled back anyway; the
//! simulator keeps writes of failed calls, so the contract must never write before it knows
//! the call succeeds.

use crate::canonical;
use crate::encoding::{base64_encode, hex_encode};
use crate::error::{show, ContractError, Result};
use crate::links;
use crate::members;
use crate::msg::*;
use crate::passkeys;
use crate::response::Response;
use crate::sha256::sha256;
use crate::state;
use crate::storage::{apply_writes, Api, Overlay, Storage};
use crate::validate;

/// Largest batch accepted by record_consents / record_grants.
pub const MAX_BATCH: usize = 500;
/// Largest writer list accepted at instantiate.
pub const MAX_WRITERS: usize = 100;
pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

/// Runs `f` on a write buffer and commits the writes only on success.
fn atomically<T>(store: &mut dyn Storage, f: impl FnOnce(&mut dyn Storage) -> Result<T>) -> Result<T> {
    let mut overlay = Overlay::new(&*store);
    let out = f(&mut overlay)?;
    let writes = overlay.into_writes();
    apply_writes(store, writes);
    Ok(out)
}

/// Prefixes an item's error with its position, e.g. `items[3]: invalid: ...`.
fn at(i: usize) -> impl Fn(ContractError) -> ContractError {
    move |e| {
        let ctx = |m: String| format!("items[{i}]: {m}");
        match e {
            ContractError::Parse(m) => ContractError::Parse(ctx(m)),
            ContractError::Unauthorized(m) => ContractError::Unauthorized(ctx(m)),
            ContractError::Invalid(m) => ContractError::Invalid(ctx(m)),
            ContractError::Conflict(m) => ContractError::Conflict(ctx(m)),
            ContractError::Rejected(m) => ContractError::Rejected(ctx(m)),
            ContractError::Corrupt(m) => ContractError::Corrupt(ctx(m)),
        }
    }
}

struct Block {
    height: u64,
    time: String,
}

fn block(env: &Env) -> Result<Block> {
    Ok(Block { height: env.block.height.value("block.height")?, time: env.block.time.value("block.time")?.to_string() })
}

fn validate_address(api: &dyn Api, addr: &str) -> Result<()> {
    // Shape first: a clean error for obvious garbage, without trusting the host to not trap.
    validate::address_shape(addr)?;
    api.addr_validate(addr).map_err(|e| ContractError::Invalid(format!("address {}: {e}", show(addr))))
}

fn require_no_funds(info: &MessageInfo) -> Result<()> {
    if info.funds.is_empty() {
        Ok(())
    } else {
        Err(ContractError::Rejected("this contract does not accept funds".into()))
    }
}

fn require_admin(s: &dyn Storage, info: &MessageInfo) -> Result<()> {
    if state::load_config(s)?.admin == info.sender {
        Ok(())
    } else {
        Err(ContractError::Unauthorized(format!("{} is not the admin", show(&info.sender))))
    }
}

fn require_writer(s: &dyn Storage, info: &MessageInfo) -> Result<()> {
    if state::is_writer(s, &info.sender) {
        Ok(())
    } else {
        Err(ContractError::Unauthorized(format!("{} is not a writer", show(&info.sender))))
    }
}

fn check_batch(len: usize) -> Result<()> {
    if len == 0 {
        return Err(ContractError::Invalid("items must not be empty".into()));
    }
    if len > MAX_BATCH {
        return Err(ContractError::Invalid(format!("batch of {len} items exceeds the maximum of {MAX_BATCH}")));
    }
    Ok(())
}

fn hex32(h: &str) -> Result<[u8; 32]> {
    validate::digest("stored head", h).map_err(|e| ContractError::Corrupt(e.to_string()))
}

// ---------------------------------------------------------------- instantiate

pub fn instantiate(
    store: &mut dyn Storage,
    api: &dyn Api,
    _env: &Env,
    info: &MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response> {
    require_no_funds(info)?;
    atomically(store, |s| {
        validate_address(api, &msg.admin)?;
        if msg.writers.len() > MAX_WRITERS {
            return Err(ContractError::Invalid(format!("at most {MAX_WRITERS} writers")));
        }
        for w in &msg.writers {
            validate_address(api, w)?;
            state::add_writer(s, w);
        }
        if let Some(w) = &msg.webauthn {
            validate_webauthn(w)?;
        }
        state::save_config(s, &Config { admin: msg.admin.clone(), webauthn: msg.webauthn.clone() })?;
        state::save_head(s, &HeadState { head: hex_encode(&[0u8; 32]), consents: 0, anchors: 0, grants: 0 })?;
        Ok(Response::new()
            .add_attribute("action", "instantiate")
            .add_attribute("admin", &msg.admin)
            .add_attribute("writers", state::writers(s)?.len()))
    })
}

// ---------------------------------------------------------------- execute

pub fn execute(
    store: &mut dyn Storage,
    api: &dyn Api,
    env: &Env,
    info: &MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response> {
    require_no_funds(info)?;
    let block = block(env)?;
    atomically(store, |s| match msg {
        ExecuteMsg::AddWriter { address } => set_writer(s, api, info, &address, true),
        ExecuteMsg::RemoveWriter { address } => set_writer(s, api, info, &address, false),
        ExecuteMsg::RecordConsents { items } => record_consents(s, api, info, &block, &items),
        ExecuteMsg::SetWebauthn { origin, rp_id } => set_webauthn(s, info, WebAuthnConfig { origin, rp_id }),
        ExecuteMsg::RegisterPasskey { subject, key_id, public_key, proof } => {
            require_writer(s, info)?;
            passkeys::register(s, api, block.height, &info.sender, &subject, &key_id, &public_key, &proof)
        }
        ExecuteMsg::RemovePasskey { subject, key_id, proof } => {
            require_writer(s, info)?;
            passkeys::remove(s, api, block.height, &subject, &key_id, &proof)
        }
        ExecuteMsg::AnchorAudit { batch, merkle_root, first_seq, last_seq, count } => {
            let a = AnchorRecord {
                writer: info.sender.clone(),
                batch,
                merkle_root,
                first_seq,
                last_seq,
                count,
                block_height: block.height,
                block_time: block.time.clone(),
            };
            anchor_audit(s, info, a)
        }
        ExecuteMsg::RecordGrants { items } => record_grants(s, info, &block, &items),
        ExecuteMsg::AdmitMember { member } => {
            require_admin(s, info)?;
            members::admit_by_admin(s, api, block.height, &member)
        }
        ExecuteMsg::CloseBootstrap {} => {
            require_admin(s, info)?;
            members::close_bootstrap(s)
        }
        ExecuteMsg::ProposeMembership { change } => members::propose(s, api, block.height, info, change),
        ExecuteMsg::VoteMembership { proposal_id, approve } => {
            members::vote(s, block.height, info, proposal_id, approve)
        }
        ExecuteMsg::UpdateMember { update } => members::update(s, block.height, info, update),
        ExecuteMsg::LeaveNetwork {} => members::leave(s, block.height, info),
        ExecuteMsg::SetSiteWebauthn { origin, rp_id } => set_site_webauthn(s, info, WebAuthnConfig { origin, rp_id }),
        ExecuteMsg::OfferLink { subject, nonce, to_member, assertion } => {
            links::offer(s, api, block.height, info, &subject, &nonce, &to_member, &assertion)
        }
        ExecuteMsg::AcceptLink { nonce, subject, assertion } => {
            links::accept(s, api, block.height, info, &nonce, &subject, &assertion)
        }
    })
}

/// Origin: `https://host[:port]` or `http://localhost[:port]` / `http://127.0.0.1[:port]`, no
/// path; RP id: a host name. Both printable ASCII without quotes, so they compare byte-exactly.
fn validate_webauthn(w: &WebAuthnConfig) -> Result<()> {
    let host_ok = |h: &str| {
        !h.is_empty() && h.len() <= 253 && h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    };
    let origin_host = w.origin.strip_prefix("https://").or_else(|| w.origin.strip_prefix("http://"));
    let origin_ok = match origin_host {
        Some(rest) => {
            let (host, port) = rest.split_once(':').unwrap_or((rest, "1"));
            host_ok(host)
                && !port.is_empty()
                && port.len() <= 5
                && port.bytes().all(|b| b.is_ascii_digit())
                && (w.origin.starts_with("https://") || host == "localhost" || host == "127.0.0.1")
        }
        None => false,
    };
    if !origin_ok {
        return Err(ContractError::Invalid(format!("webauthn origin {} is not an https origin", show(&w.origin))));
    }
    if !host_ok(&w.rp_id) {
        return Err(ContractError::Invalid(format!("webauthn rp_id {} is not a host name", show(&w.rp_id))));
    }
    Ok(())
}

fn set_webauthn(s: &mut dyn Storage, info: &MessageInfo, w: WebAuthnConfig) -> Result<Response> {
    require_admin(s, info)?;
    validate_webauthn(&w)?;
    let mut config = state::load_config(s)?;
    config.webauthn = Some(w.clone());
    state::save_config(s, &config)?;
    Ok(Response::new()
        .add_attribute("action", "set_webauthn")
        .add_event("webauthn_set", &[("origin", w.origin), ("rp_id", w.rp_id)]))
}

/// A writer sets its own relying party: the passkeys it registers are checked against it.
fn set_site_webauthn(s: &mut dyn Storage, info: &MessageInfo, w: WebAuthnConfig) -> Result<Response> {
    require_writer(s, info)?;
    validate_webauthn(&w)?;
    state::save_site_rp(s, &info.sender, &w)?;
    Ok(Response::new()
        .add_attribute("action", "set_site_webauthn")
        .add_event("site_webauthn_set", &[("writer", info.sender.clone()), ("origin", w.origin), ("rp_id", w.rp_id)]))
}

/// Checks the proof of one consent item (after its fields were validated) and says how it is
/// vouched for. A passkey proof is verified against the subject's registered key.
fn consent_attestation(
    s: &mut dyn Storage,
    api: &dyn Api,
    info: &MessageInfo,
    subject: &[u8; 32],
    item: &ConsentItem,
) -> Result<(Option<SignedBy>, Option<AttestedBy>)> {
    match &item.proof {
        None => {
            // Once a participant holds a passkey, only they (or the institution, visibly and with
            // a witness) may speak for them: a bare writer's word is what an operator could forge.
            if passkeys::has_active_key(s, subject)? {
                return Err(ContractError::Rejected(
                    "this subject has an active passkey: the record must be signed by it, or recorded by the institution with a witness".into(),
                ));
            }
            Ok((None, Some(AttestedBy { writer: info.sender.clone(), witness: None })))
        }
        Some(ConsentProof::Institution { witness }) => {
            passkeys::validate_witness(witness)?;
            Ok((None, Some(AttestedBy { writer: info.sender.clone(), witness: Some(witness.clone()) })))
        }
        Some(ConsentProof::Passkey { assertion, covers }) => {
            let digest = hex_encode(&canonical::consent_record_digest(item));
            let challenge = match covers {
                None => canonical::consent_record_digest(item).to_vec(),
                Some(c) => {
                    if c.is_empty() || c.len() > MAX_BATCH {
                        return Err(ContractError::Invalid(format!("covers must hold 1..={MAX_BATCH} digests")));
                    }
                    for d in c {
                        validate::digest("covers[]", d)?;
                    }
                    if !c.contains(&digest) {
                        return Err(ContractError::Rejected(
                            "assertion refused: covers does not include this record's digest".into(),
                        ));
                    }
                    sha256(canonical::covers_json(c).as_bytes()).to_vec()
                }
            };
            let counter = passkeys::verify_assertion(s, api, subject, assertion, &challenge)?;
            Ok((Some(SignedBy { key_id: assertion.key_id.clone(), counter, record_digest: digest }), None))
        }
    }
}

fn set_writer(s: &mut dyn Storage, api: &dyn Api, info: &MessageInfo, address: &str, add: bool) -> Result<Response> {
    require_admin(s, info)?;
    if members::bootstrap_closed(s)? {
        return Err(ContractError::Unauthorized(
            "the bootstrap is closed: writers are the members' writers, changed only by the members".into(),
        ));
    }
    if !add && members::is_active_member_writer(s, address)? {
        return Err(ContractError::Rejected(format!(
            "{} writes for a member: it stops writing when the member leaves or is removed",
            show(address)
        )));
    }
    let was = state::is_writer(s, address);
    if add {
        validate_address(api, address)?;
        state::add_writer(s, address);
    } else {
        // Shape only (no chain lookup): every stored writer passed it, so any stored address
        // can still be removed, and garbage gets a clean error instead of an odd key.
        validate::address_shape(address)?;
        state::remove_writer(s, address);
    }
    let action = if add { "add_writer" } else { "remove_writer" };
    Ok(Response::new()
        .add_attribute("action", action)
        .add_attribute("address", address)
        .add_attribute("changed", was != add)
        .add_event(
            "writers_changed",
            &[("action", action.to_string()), ("address", address.to_string()), ("changed", (was != add).to_string())],
        ))
}

/// Builds the response shared by record_consents / anchor_audit / record_grants.
fn summary_response(
    action: &str,
    event_type: &str,
    head: &HeadState,
    total: u64,
    results: Vec<ItemResult>,
) -> Result<Response> {
    let new = results.iter().filter(|r| !r.replayed).count() as u64;
    let replayed = results.len() as u64 - new;
    let mut ev = vec![
        ("head", head.head.clone()),
        ("new", new.to_string()),
        ("replayed", replayed.to_string()),
        ("total", total.to_string()),
    ];
    let new_seqs: Vec<u64> = results.iter().filter(|r| !r.replayed).map(|r| r.seq).collect();
    if let (Some(first), Some(last)) = (new_seqs.first(), new_seqs.last()) {
        ev.push(("first_seq", first.to_string()));
        ev.push(("last_seq", last.to_string()));
    }
    let summary = ExecuteSummary { head: head.head.clone(), new, replayed, items: results };
    let data = serde_json::to_vec(&summary).map_err(|e| ContractError::Corrupt(e.to_string()))?;
    Ok(Response::new()
        .add_attribute("action", action)
        .add_attribute("head", &head.head)
        .add_attribute("new", new)
        .add_attribute("replayed", replayed)
        .add_event(event_type, &ev)
        .set_data(&data))
}

/// Looks up an event id: `Some(seq)` for an exact replay, `None` if unseen, error on conflict.
fn check_event(s: &dyn Storage, event_id: &str, kind: EventKind, digest: &str) -> Result<Option<u64>> {
    match state::load_event(s, event_id)? {
        None => Ok(None),
        Some(e) if e.kind == kind && e.digest == digest => Ok(Some(e.seq)),
        Some(_) => Err(ContractError::Conflict(format!(
            "event_id {} was already recorded with a different payload",
            show(event_id)
        ))),
    }
}

fn record_consents(
    s: &mut dyn Storage,
    api: &dyn Api,
    info: &MessageInfo,
    block: &Block,
    items: &[ConsentItem],
) -> Result<Response> {
    require_writer(s, info)?;
    check_batch(items.len())?;
    let mut head = state::load_head(s)?;
    let mut head_bytes = hex32(&head.head)?;
    let mut results = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let res = (|| -> Result<ItemResult> {
            let subject = validate_consent_fields(item)?;
            let mut rec = ConsentRecord {
                seq: 0,
                event_id: item.event_id.clone(),
                subject: item.subject.clone(),
                scope: item.scope.clone(),
                decision: item.decision,
                version: item.version,
                format: item.format,
                evidence: item.evidence.clone(),
                time: item.time.clone(),
                block_height: block.height,
                block_time: block.time.clone(),
                signed_by: None,
                attested_by: None,
            };
            let bytes = canonical::consent(&rec);
            let digest = hex_encode(&sha256(&bytes));
            if let Some(seq) = check_event(s, &item.event_id, EventKind::Consent, &digest)? {
                return Ok(ItemResult { id: item.event_id.clone(), seq, replayed: true });
            }
            if let Some(latest) = state::load_latest_consent(s, &subject, &item.scope)? {
                if item.version <= latest.version {
                    return Err(ContractError::Rejected(format!(
                        "version {} must be greater than the current version {} for this subject and scope",
                        item.version, latest.version
                    )));
                }
            }
            let (signed_by, attested_by) = consent_attestation(s, api, info, &subject, item)?;
            rec.signed_by = signed_by;
            rec.attested_by = attested_by;
            head.consents += 1;
            rec.seq = head.consents;
            state::save_consent(s, &subject, &rec)?;
            state::save_event(s, &item.event_id, &EventRef { kind: EventKind::Consent, seq: rec.seq, digest })?;
            head_bytes = canonical::next_head(&head_bytes, &bytes);
            Ok(ItemResult { id: item.event_id.clone(), seq: rec.seq, replayed: false })
        })()
        .map_err(at(i))?;
        results.push(res);
    }
    head.head = hex_encode(&head_bytes);
    state::save_head(s, &head)?;
    let total = head.consents;
    summary_response("record_consents", "consent_recorded", &head, total, results)
}

/// The payload fields of a consent item; returns the subject's bytes. Also what makes the
/// canonical record JSON safe to write without escaping.
fn validate_consent_fields(item: &ConsentItem) -> Result<[u8; 32]> {
    validate::ident("event_id", &item.event_id)?;
    let subject = validate::digest("subject", &item.subject)?;
    validate::ident("scope", &item.scope)?;
    validate::record_format(item.format, &item.scope, item.decision)?;
    validate::digest("evidence", &item.evidence)?;
    validate::time("time", &item.time)?;
    Ok(subject)
}

fn anchor_audit(s: &mut dyn Storage, info: &MessageInfo, a: AnchorRecord) -> Result<Response> {
    require_writer(s, info)?;
    validate::digest("merkle_root", &a.merkle_root)?;
    if a.batch == 0 {
        return Err(ContractError::Invalid("batch numbers start at 1".into()));
    }
    if a.first_seq > a.last_seq {
        return Err(ContractError::Invalid(format!("first_seq {} > last_seq {}", a.first_seq, a.last_seq)));
    }
    if (a.last_seq - a.first_seq).checked_add(1) != Some(a.count) {
        return Err(ContractError::Invalid(format!("count {} != last_seq - first_seq + 1", a.count)));
    }
    let mut head = state::load_head(s)?;
    let item = |replayed| ItemResult { id: a.batch.to_string(), seq: a.batch, replayed };
    if let Some(existing) = state::load_anchor(s, &a.writer, a.batch)? {
        let same = existing.merkle_root == a.merkle_root
            && existing.first_seq == a.first_seq
            && existing.last_seq == a.last_seq
            && existing.count == a.count;
        if !same {
            return Err(ContractError::Conflict(format!(
                "batch {} was already anchored with a different payload",
                a.batch
            )));
        }
        let total = head.anchors;
        return summary_response("anchor_audit", "audit_anchored", &head, total, vec![item(true)]);
    }
    // Each writer (member institution) numbers its own batches: its audit trail is its own.
    let next = state::anchor_count(s, &a.writer)? + 1;
    if a.batch != next {
        return Err(ContractError::Rejected(format!("batch {} out of order: next batch is {}", a.batch, next)));
    }
    if a.batch > 1 {
        let prev = state::load_anchor(s, &a.writer, a.batch - 1)?
            .ok_or_else(|| ContractError::Corrupt("previous anchor missing".into()))?;
        if prev.last_seq.checked_add(1) != Some(a.first_seq) {
            return Err(ContractError::Rejected(format!(
                "batch {} must start at seq {} (batch {} ended at {}), got {}",
                a.batch,
                prev.last_seq.saturating_add(1),
                prev.batch,
                prev.last_seq,
                a.first_seq
            )));
        }
    }
    let bytes = canonical::anchor(&a);
    head.head = hex_encode(&canonical::next_head(&hex32(&head.head)?, &bytes));
    head.anchors += 1;
    state::save_anchor(s, &a)?;
    state::save_head(s, &head)?;
    let total = head.anchors;
    summary_response("anchor_audit", "audit_anchored", &head, total, vec![item(false)])
}

fn record_grants(s: &mut dyn Storage, info: &MessageInfo, block: &Block, items: &[GrantItem]) -> Result<Response> {
    require_writer(s, info)?;
    check_batch(items.len())?;
    let mut head = state::load_head(s)?;
    let mut head_bytes = hex32(&head.head)?;
    let mut results = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let res = (|| -> Result<ItemResult> {
            validate::ident("event_id", &item.event_id)?;
            validate::ident("grant_id", &item.grant_id)?;
            validate::ident("study_id", &item.study_id)?;
            validate::digest("cohort_root", &item.cohort_root)?;
            let expiry = item.expiry.value("expiry")?;
            let mut rec = GrantRecord {
                seq: 0,
                event_id: item.event_id.clone(),
                grant_id: item.grant_id.clone(),
                study_id: item.study_id.clone(),
                cohort_root: item.cohort_root.clone(),
                expiry,
                block_height: block.height,
                block_time: block.time.clone(),
            };
            let bytes = canonical::grant(&rec);
            let digest = hex_encode(&sha256(&bytes));
            if let Some(seq) = check_event(s, &item.event_id, EventKind::Grant, &digest)? {
                return Ok(ItemResult { id: item.event_id.clone(), seq, replayed: true });
            }
            if let Some(existing) = state::load_grant(s, &item.grant_id)? {
                return Err(ContractError::Conflict(format!(
                    "grant_id {} was already recorded by event {}",
                    show(&item.grant_id),
                    show(&existing.event_id)
                )));
            }
            head.grants += 1;
            rec.seq = head.grants;
            state::save_grant(s, &rec)?;
            state::save_event(s, &item.event_id, &EventRef { kind: EventKind::Grant, seq: rec.seq, digest })?;
            head_bytes = canonical::next_head(&head_bytes, &bytes);
            Ok(ItemResult { id: item.event_id.clone(), seq: rec.seq, replayed: false })
        })()
        .map_err(at(i))?;
        results.push(res);
    }
    head.head = hex_encode(&head_bytes);
    state::save_head(s, &head)?;
    let total = head.grants;
    summary_response("record_grants", "grant_recorded", &head, total, results)
}

// ---------------------------------------------------------------- query

fn to_json<T: serde::Serialize>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(v).map_err(|e| ContractError::Corrupt(e.to_string()))
}

fn limit(l: Option<u32>) -> usize {
    l.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize
}

/// Returns the JSON answer (the ABI layer wraps it in base64).
pub fn query(s: &dyn Storage, env: &Env, msg: QueryMsg) -> Result<Vec<u8>> {
    match msg {
        QueryMsg::Config {} => {
            let config = state::load_config(s)?;
            to_json(&ConfigResponse { admin: config.admin, writers: state::writers(s)?, webauthn: config.webauthn })
        }
        QueryMsg::Consent { subject, scope } => {
            let subject = validate::digest("subject", &subject)?;
            validate::ident("scope", &scope)?;
            to_json(&state::load_latest_consent(s, &subject, &scope)?)
        }
        QueryMsg::ConsentHistory { subject, start_after, limit: l } => {
            let subject = validate::digest("subject", &subject)?;
            to_json(&ConsentHistoryResponse { consents: state::consent_history(s, &subject, start_after, limit(l))? })
        }
        QueryMsg::Anchor { writer, batch } => {
            validate::address_shape(&writer)?;
            to_json(&state::load_anchor(s, &writer, batch)?)
        }
        QueryMsg::Anchors { writer, start_after, limit: l } => {
            validate::address_shape(&writer)?;
            to_json(&AnchorsResponse {
                anchors: state::anchors(s, &writer, start_after, limit(l))?,
                total: state::anchor_count(s, &writer)?,
            })
        }
        QueryMsg::Grant { grant_id } => {
            validate::ident("grant_id", &grant_id)?;
            to_json(&state::load_grant(s, &grant_id)?)
        }
        QueryMsg::Event { event_id } => {
            validate::ident("event_id", &event_id)?;
            to_json(&state::load_event(s, &event_id)?)
        }
        QueryMsg::Head {} => to_json(&state::load_head(s)?),
        QueryMsg::RecordDigest { item } => {
            validate_consent_fields(&item)?;
            let record = canonical::consent_record_json(&item);
            let digest = hex_encode(&sha256(record.as_bytes()));
            to_json(&RecordDigestResponse { record, digest })
        }
        QueryMsg::Passkeys { subject } => {
            let subject = validate::digest("subject", &subject)?;
            to_json(&PasskeysResponse { passkeys: state::passkeys(s, &subject)? })
        }
        QueryMsg::Members { include_removed } => {
            let all = state::members(s)?;
            let members = all.into_iter().filter(|m| include_removed == Some(true) || m.removed.is_none()).collect();
            to_json(&MembersResponse { members })
        }
        QueryMsg::Member { id } => {
            members::validate_member_id(&id)?;
            to_json(&state::load_member(s, &id)?)
        }
        QueryMsg::MemberByWriter { address } => {
            validate::address_shape(&address)?;
            let id = state::member_id_by_writer(s, &address)?;
            to_json(&match id {
                Some(id) => state::load_member(s, &id)?,
                None => None,
            })
        }
        QueryMsg::Network {} => to_json(&members::network(s)?),
        QueryMsg::MembershipProposal { proposal_id } => {
            let height = env.block.height.value("block.height")?;
            to_json(&state::load_proposal(s, proposal_id)?.map(|p| members::as_seen_at(p, height)))
        }
        QueryMsg::MembershipProposals { start_after, limit: l } => {
            let height = env.block.height.value("block.height")?;
            let proposals = state::proposals(s, start_after, limit(l))?
                .into_iter()
                .map(|p| members::as_seen_at(p, height))
                .collect();
            to_json(&ProposalsResponse { proposals })
        }
        QueryMsg::SiteWebauthn { writer } => {
            validate::address_shape(&writer)?;
            to_json(&state::load_site_rp(s, &writer)?)
        }
        QueryMsg::LinkOffer { nonce } => {
            let nonce = validate::digest("nonce", &nonce)?;
            to_json(&state::load_link_offer(s, &nonce)?)
        }
        QueryMsg::LinkGroup { subject } => {
            let subject = validate::digest("subject", &subject)?;
            to_json(&links::group_of(s, &subject)?)
        }
        QueryMsg::LinkedConsent { subject, scope } => {
            let subject = validate::digest("subject", &subject)?;
            validate::ident("scope", &scope)?;
            to_json(&LinkedConsentResponse { record: links::latest_consent(s, &subject, &scope)? })
        }
    }
}

/// Query answer as CosmWasm returns it to clients: base64 of the JSON.
pub fn query_base64(s: &dyn Storage, env: &Env, msg: QueryMsg) -> Result<String> {
    query(s, env, msg).map(|json| base64_encode(&json))
}
