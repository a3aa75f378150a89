//! One participant's pseudonyms at several member sites, linked by the participant.
//!
//! Each site keeps its own pseudonym (subject) for a participant: an HMAC under a secret only
//! that site holds, so nobody can join two sites' subjects from chain data. The participant
//! joins them, proving control at both ends with the passkey each site registered (a passkey
//! is bound to one site's relying party):
//!
//! 1. at site A, their passkey signs the offer `{"action":"offer_link","nonce":…,
//!    "subject":<A's subject>,"to_member":<B's id>}`; A's writer records it (`offer_link`);
//! 2. at site B, their passkey signs the acceptance `{"action":"accept_link",
//!    "from_subject":<A's subject>,"nonce":…,"subject":<B's subject>}`; only B's writer can
//!    record it (`accept_link`), before the offer expires.
//!
//! The challenge of each is SHA-256 of that canonical JSON. A nonce is used once: offering or
//! accepting it again is refused (replay). The linked subjects form a group (at most one
//! subject per member); `latest_consent` reads a scope's newest record across the group, so a
//! decision signed at any linked site is the one every linked site applies.

use crate::error::{show, ContractError, Result};
use crate::members;
use crate::msg::{Assertion, ConsentRecord, LinkAcceptance, LinkGroup, LinkOffer, LinkedSubject, MessageInfo};
use crate::passkeys;
use crate::response::Response;
use crate::sha256::sha256;
use crate::state;
use crate::storage::{Api, Storage};
use crate::validate;

/// How long an offer can be accepted: 14,400 blocks, about a day of 6-second blocks.
pub const LINK_OFFER_BLOCKS: u64 = 14_400;

/// What the participant's passkey at the offering site signs (canonical JSON; every field is
/// validated hex or a member id, so nothing needs escaping).
pub fn offer_json(nonce: &str, subject: &str, to_member: &str) -> String {
    format!(r#"{{"action":"offer_link","nonce":"{nonce}","subject":"{subject}","to_member":"{to_member}"}}"#)
}

/// What the participant's passkey at the accepting site signs.
pub fn accept_json(nonce: &str, from_subject: &str, subject: &str) -> String {
    format!(r#"{{"action":"accept_link","from_subject":"{from_subject}","nonce":"{nonce}","subject":"{subject}"}}"#)
}

#[allow(clippy::too_many_arguments)]
pub fn offer(
    s: &mut dyn Storage,
    api: &dyn Api,
    height: u64,
    info: &MessageInfo,
    subject_hex: &str,
    nonce_hex: &str,
    to_member: &str,
    assertion: &Assertion,
) -> Result<Response> {
    let from = members::require_member(s, info)?;
    let subject = validate::digest("subject", subject_hex)?;
    let nonce = validate::digest("nonce", nonce_hex)?;
    members::validate_member_id(to_member)?;
    if to_member == from.id {
        return Err(ContractError::Invalid("a link joins pseudonyms at two different members".into()));
    }
    match state::load_member(s, to_member)? {
        Some(m) if m.removed.is_none() => {}
        _ => return Err(ContractError::Rejected(format!("{} is not an active member", show(to_member)))),
    }
    if state::load_link_offer(s, &nonce)?.is_some() {
        return Err(ContractError::Rejected("replayed: this link nonce was already used".into()));
    }
    let challenge = sha256(offer_json(nonce_hex, subject_hex, to_member).as_bytes());
    passkeys::verify_assertion(s, api, &subject, assertion, &challenge)?;
    let offer = LinkOffer {
        nonce: nonce_hex.to_string(),
        subject: subject_hex.to_string(),
        from_member: from.id.clone(),
        to_member: to_member.to_string(),
        height,
        expires_height: height.saturating_add(LINK_OFFER_BLOCKS),
        accepted: None,
    };
    state::save_link_offer(s, &nonce, &offer)?;
    Ok(Response::new().add_attribute("action", "offer_link").add_event(
        "link_offered",
        &[("nonce", nonce_hex.to_string()), ("from_member", from.id), ("to_member", to_member.to_string())],
    ))
}

pub fn accept(
    s: &mut dyn Storage,
    api: &dyn Api,
    height: u64,
    info: &MessageInfo,
    nonce_hex: &str,
    subject_hex: &str,
    assertion: &Assertion,
) -> Result<Response> {
    let to = members::require_member(s, info)?;
    let nonce = validate::digest("nonce", nonce_hex)?;
    let subject = validate::digest("subject", subject_hex)?;
    let mut offer = state::load_link_offer(s, &nonce)?
        .ok_or_else(|| ContractError::Rejected("no link offer has this nonce".into()))?;
    if offer.accepted.is_some() {
        return Err(ContractError::Rejected("replayed: this link offer was already accepted".into()));
    }
    if offer.to_member != to.id {
        return Err(ContractError::Unauthorized(format!(
            "this link offer is for member {}, not {}",
            show(&offer.to_member),
            show(&to.id)
        )));
    }
    if height > offer.expires_height {
        return Err(ContractError::Rejected("this link offer has expired: make a new one".into()));
    }
    if offer.subject == subject_hex {
        return Err(ContractError::Invalid("a subject cannot be linked with itself".into()));
    }
    let challenge = sha256(accept_json(nonce_hex, &offer.subject, subject_hex).as_bytes());
    passkeys::verify_assertion(s, api, &subject, assertion, &challenge)?;
    let from_subject = validate::digest("stored subject", &offer.subject)?;
    let group = join(s, height, (&from_subject, &offer.subject, &offer.from_member), (&subject, subject_hex, &to.id))?;
    offer.accepted = Some(LinkAcceptance { subject: subject_hex.to_string(), height, group: group.id });
    state::save_link_offer(s, &nonce, &offer)?;
    Ok(Response::new().add_attribute("action", "accept_link").add_event(
        "link_accepted",
        &[
            ("nonce", nonce_hex.to_string()),
            ("group", group.id.to_string()),
            ("size", group.subjects.len().to_string()),
        ],
    ))
}

type Side<'a> = (&'a [u8; 32], &'a str, &'a str);

/// Puts both subjects in one group: a new one, or the group one of them is already in.
fn join(s: &mut dyn Storage, height: u64, a: Side, b: Side) -> Result<LinkGroup> {
    let linked = |subject: &str, member: &str| LinkedSubject {
        subject: subject.to_string(),
        member: member.to_string(),
        height,
    };
    let mut group = match (state::link_group_of(s, a.0)?, state::link_group_of(s, b.0)?) {
        (None, None) => LinkGroup { id: state::next_link_group_id(s)?, subjects: vec![] },
        (Some(x), Some(y)) if x == y => {
            return Err(ContractError::Rejected("these pseudonyms are already linked".into()));
        }
        (Some(_), Some(_)) => {
            return Err(ContractError::Rejected(
                "both pseudonyms are already linked with others: link from a site of one group to a site outside it"
                    .into(),
            ));
        }
        (Some(id), None) | (None, Some(id)) => {
            state::load_link_group(s, id)?.ok_or_else(|| ContractError::Corrupt("link group missing".into()))?
        }
    };
    for (subject_hex, member) in [(a.1, a.2), (b.1, b.2)] {
        if group.subjects.iter().any(|m| m.subject == subject_hex) {
            continue;
        }
        if group.subjects.iter().any(|m| m.member == member) {
            return Err(ContractError::Rejected(format!(
                "this participant already has a linked pseudonym at {}",
                show(member)
            )));
        }
        group.subjects.push(linked(subject_hex, member));
    }
    state::save_link_group(s, &group)?;
    Ok(group)
}

/// The link group of `subject`, if it is linked.
pub fn group_of(s: &dyn Storage, subject: &[u8; 32]) -> Result<Option<LinkGroup>> {
    match state::link_group_of(s, subject)? {
        Some(id) => state::load_link_group(s, id),
        None => Ok(None),
    }
}

/// The newest record for `scope` across `subject`'s link group (the one stored last, by
/// `seq`); the subject's own latest when it is not linked.
pub fn latest_consent(s: &dyn Storage, subject: &[u8; 32], scope: &str) -> Result<Option<ConsentRecord>> {
    let subjects: Vec<[u8; 32]> = match group_of(s, subject)? {
        None => vec![*subject],
        Some(g) => g.subjects.iter().map(|m| validate::digest("stored subject", &m.subject)).collect::<Result<_>>()?,
    };
    let mut newest: Option<ConsentRecord> = None;
    for sub in &subjects {
        if let Some(r) = state::load_latest_consent(s, sub, scope)? {
            if newest.as_ref().map_or(true, |n| r.seq > n.seq) {
                newest = Some(r);
            }
        }
    }
    Ok(newest)
}
