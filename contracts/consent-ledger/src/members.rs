//! The network's member institutions: who they are, which address writes for each, and how
//! membership changes.
//!
//! Governance:
//! - **Bootstrap.** While the bootstrap is open the admin admits founding members directly
//!   (`admit_member`). `close_bootstrap` ends it for good; it needs at least one member.
//! - **After the bootstrap** only members change membership: any active member proposes a join
//!   or a removal, and it passes when a strict majority of the members that were active when it
//!   was proposed (the electorate) vote yes within `VOTING_PERIOD_BLOCKS`. It is rejected as
//!   soon as a majority can no longer be reached. A member may always leave on its own, unless
//!   it is the last one after the bootstrap.
//! - **Writers follow membership.** Admitting a member makes its address a writer; removing it
//!   takes that right away. Once the bootstrap is closed the admin can no longer add or remove
//!   writers, so the operator that deployed the contract is not above the members.
//! - Member ids and writer addresses are never reused, so every record written from an address
//!   stays attributable to one member, also after it left.

use crate::error::{show, ContractError, Result};
use crate::msg::{
    MemberInput, MemberRecord, MemberRemoval, MemberUpdate, MembershipChange, MessageInfo, NetworkResponse,
    ProposalRecord, ProposalStatus,
};
use crate::response::Response;
use crate::state;
use crate::storage::{Api, Storage};
use crate::validate;

/// How long a proposal takes votes: about a week of 6-second blocks.
pub const VOTING_PERIOD_BLOCKS: u64 = 100_800;
/// Largest network this contract governs.
pub const MAX_MEMBERS: usize = 50;
/// Most Passport issuer key ids a member lists at once (rotation keeps old and new).
pub const MAX_KEY_IDS: usize = 8;

// ---------------------------------------------------------------- validation

/// A member id: 2..=32 chars of `[a-z0-9-]`, starting with a letter or digit.
pub fn validate_member_id(id: &str) -> Result<()> {
    let ok = (2..=32).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(ContractError::Invalid(format!("member id must be 2..=32 chars of [a-z0-9-]: {}", show(id))))
    }
}

fn validate_name(name: &str) -> Result<()> {
    let ok = (1..=120).contains(&name.len()) && name.bytes().all(|b| (b' '..=b'~').contains(&b)) && name.trim() == name;
    if ok {
        Ok(())
    } else {
        Err(ContractError::Invalid(format!(
            "name must be 1..=120 printable ASCII chars without surrounding spaces: {}",
            show(name)
        )))
    }
}

/// `https://host[:port][/path]`, or plain http for `localhost` / `127.0.0.1` (a network run on
/// one machine). At most 256 chars; no spaces, quotes, backslashes or angle brackets.
pub fn validate_url(field: &str, url: &str) -> Result<()> {
    let bad = || ContractError::Invalid(format!("{field} must be an https URL: {}", show(url)));
    if url.len() > 256 {
        return Err(bad());
    }
    let (secure, rest) = match (url.strip_prefix("https://"), url.strip_prefix("http://")) {
        (Some(r), _) => (true, r),
        (None, Some(r)) => (false, r),
        _ => return Err(bad()),
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = authority.split_once(':').unwrap_or((authority, "1"));
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    let port_ok = !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
    let path_ok = path.bytes().all(|b| (b'!'..=b'~').contains(&b) && !matches!(b, b'"' | b'\\' | b'<' | b'>'));
    let local = host == "localhost" || host == "127.0.0.1";
    if host_ok && port_ok && path_ok && (secure || local) {
        Ok(())
    } else {
        Err(bad())
    }
}

fn validate_key_ids(ids: &[String]) -> Result<()> {
    if ids.is_empty() || ids.len() > MAX_KEY_IDS {
        return Err(ContractError::Invalid(format!("passport_key_ids must hold 1..={MAX_KEY_IDS} key ids")));
    }
    for (i, id) in ids.iter().enumerate() {
        validate::ident("passport_key_ids[]", id)?;
        if ids[..i].contains(id) {
            return Err(ContractError::Invalid(format!("passport_key_ids lists {} twice", show(id))));
        }
    }
    Ok(())
}

fn validate_member(api: &dyn Api, m: &MemberInput) -> Result<()> {
    validate_member_id(&m.id)?;
    validate_name(&m.name)?;
    validate::address_shape(&m.writer)?;
    api.addr_validate(&m.writer).map_err(|e| ContractError::Invalid(format!("writer {}: {e}", show(&m.writer))))?;
    validate_url("passport_jwks_url", &m.passport_jwks_url)?;
    validate_key_ids(&m.passport_key_ids)?;
    validate_url("beacon_url", &m.beacon_url)
}

/// Refuses an id or writer address that any member, present or past, already used.
fn check_unused(s: &dyn Storage, m: &MemberInput) -> Result<()> {
    if state::load_member(s, &m.id)?.is_some() {
        return Err(ContractError::Conflict(format!("member id {} is taken (ids are never reused)", show(&m.id))));
    }
    if let Some(other) = state::member_id_by_writer(s, &m.writer)? {
        return Err(ContractError::Conflict(format!(
            "address {} already writes for member {} (addresses are never reused)",
            show(&m.writer),
            show(&other)
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------- lookups

fn active_members(s: &dyn Storage) -> Result<Vec<MemberRecord>> {
    Ok(state::members(s)?.into_iter().filter(|m| m.removed.is_none()).collect())
}

/// The active member whose writer is the sender.
pub fn require_member(s: &dyn Storage, info: &MessageInfo) -> Result<MemberRecord> {
    let not_member = || ContractError::Unauthorized(format!("{} is not a member's writer", show(&info.sender)));
    let id = state::member_id_by_writer(s, &info.sender)?.ok_or_else(not_member)?;
    match state::load_member(s, &id)? {
        Some(m) if m.removed.is_none() => Ok(m),
        _ => Err(not_member()),
    }
}

/// True once the bootstrap is closed: the admin no longer manages writers.
pub fn bootstrap_closed(s: &dyn Storage) -> Result<bool> {
    Ok(state::load_network(s)?.bootstrap_closed)
}

/// Whether `address` writes for an active member (such a writer leaves with its member only).
pub fn is_active_member_writer(s: &dyn Storage, address: &str) -> Result<bool> {
    Ok(match state::member_id_by_writer(s, address)? {
        Some(id) => state::load_member(s, &id)?.map_or(false, |m| m.removed.is_none()),
        None => false,
    })
}

/// Yes votes needed among `electorate` voters: a strict majority.
pub fn votes_needed(electorate: usize) -> usize {
    electorate / 2 + 1
}

pub fn network(s: &dyn Storage) -> Result<NetworkResponse> {
    let n = state::load_network(s)?;
    let active = active_members(s)?.len();
    Ok(NetworkResponse {
        bootstrap_closed: n.bootstrap_closed,
        active_members: active as u64,
        proposals: n.proposals,
        votes_needed: votes_needed(active) as u64,
        voting_period_blocks: VOTING_PERIOD_BLOCKS,
    })
}

/// A proposal as queried: still `open` in storage but past its period reads as `expired`.
pub fn as_seen_at(mut p: ProposalRecord, height: u64) -> ProposalRecord {
    if p.status == ProposalStatus::Open && height > p.expires_height {
        p.status = ProposalStatus::Expired;
    }
    p
}

// ---------------------------------------------------------------- changes

fn admit(s: &mut dyn Storage, height: u64, m: &MemberInput, by: String) -> Result<Response> {
    if active_members(s)?.len() >= MAX_MEMBERS {
        return Err(ContractError::Rejected(format!("the network already has {MAX_MEMBERS} members")));
    }
    check_unused(s, m)?;
    let rec = MemberRecord {
        id: m.id.clone(),
        name: m.name.clone(),
        writer: m.writer.clone(),
        passport_jwks_url: m.passport_jwks_url.clone(),
        passport_key_ids: m.passport_key_ids.clone(),
        beacon_url: m.beacon_url.clone(),
        joined_height: height,
        admitted_by: by.clone(),
        updated_height: height,
        removed: None,
    };
    state::save_member(s, &rec)?;
    state::add_writer(s, &rec.writer);
    Ok(Response::new()
        .add_attribute("member", &rec.id)
        .add_event("member_admitted", &[("member", rec.id.clone()), ("writer", rec.writer.clone()), ("by", by)]))
}

fn remove(s: &mut dyn Storage, height: u64, id: &str, by: String) -> Result<Response> {
    let mut m = state::load_member(s, id)?
        .filter(|m| m.removed.is_none())
        .ok_or_else(|| ContractError::Rejected(format!("{} is not an active member", show(id))))?;
    if bootstrap_closed(s)? && active_members(s)?.len() <= 1 {
        return Err(ContractError::Rejected("the last member cannot leave or be removed".into()));
    }
    m.removed = Some(MemberRemoval { height, by: by.clone() });
    state::save_member(s, &m)?;
    state::remove_writer(s, &m.writer);
    Ok(Response::new()
        .add_attribute("member", &m.id)
        .add_event("member_removed", &[("member", m.id.clone()), ("writer", m.writer.clone()), ("by", by)]))
}

/// Bootstrap: the admin admits a founding member (the caller checked the sender is the admin).
pub fn admit_by_admin(s: &mut dyn Storage, api: &dyn Api, height: u64, m: &MemberInput) -> Result<Response> {
    if bootstrap_closed(s)? {
        return Err(ContractError::Unauthorized(
            "the bootstrap is closed: members admit new members by proposal and vote".into(),
        ));
    }
    validate_member(api, m)?;
    Ok(admit(s, height, m, "admin".into())?.add_attribute("action", "admit_member"))
}

/// Ends the bootstrap (the caller checked the sender is the admin).
pub fn close_bootstrap(s: &mut dyn Storage) -> Result<Response> {
    let mut n = state::load_network(s)?;
    if n.bootstrap_closed {
        return Err(ContractError::Rejected("the bootstrap is already closed".into()));
    }
    let members = active_members(s)?.len();
    if members == 0 {
        return Err(ContractError::Rejected("admit at least one member before closing the bootstrap".into()));
    }
    n.bootstrap_closed = true;
    state::save_network(s, &n)?;
    Ok(Response::new()
        .add_attribute("action", "close_bootstrap")
        .add_event("bootstrap_closed", &[("members", members.to_string())]))
}

pub fn propose(
    s: &mut dyn Storage,
    api: &dyn Api,
    height: u64,
    info: &MessageInfo,
    change: MembershipChange,
) -> Result<Response> {
    let proposer = require_member(s, info)?;
    let open = |p: &ProposalRecord| p.status == ProposalStatus::Open && height <= p.expires_height;
    let pending: Vec<ProposalRecord> = all_proposals(s)?.into_iter().filter(open).collect();
    match &change {
        MembershipChange::Join { member } => {
            validate_member(api, member)?;
            check_unused(s, member)?;
            if let Some(p) = pending.iter().find(|p| matches!(&p.change, MembershipChange::Join { member: o } if o.id == member.id || o.writer == member.writer)) {
                return Err(ContractError::Conflict(format!("proposal {} about this member is still open", p.id)));
            }
        }
        MembershipChange::Remove { id } => {
            validate_member_id(id)?;
            if state::load_member(s, id)?.map_or(true, |m| m.removed.is_some()) {
                return Err(ContractError::Rejected(format!("{} is not an active member", show(id))));
            }
            if let Some(p) = pending.iter().find(|p| matches!(&p.change, MembershipChange::Remove { id: o } if o == id))
            {
                return Err(ContractError::Conflict(format!("proposal {} about this member is still open", p.id)));
            }
        }
    }
    let mut n = state::load_network(s)?;
    n.proposals += 1;
    state::save_network(s, &n)?;
    let p = ProposalRecord {
        id: n.proposals,
        change,
        proposer: proposer.id.clone(),
        created_height: height,
        expires_height: height + VOTING_PERIOD_BLOCKS,
        electorate: active_members(s)?.into_iter().map(|m| m.id).collect(),
        yes: vec![proposer.id.clone()],
        no: vec![],
        status: ProposalStatus::Open,
        decided_height: None,
    };
    let response = Response::new()
        .add_attribute("action", "propose_membership")
        .add_attribute("proposal_id", p.id)
        .add_event("membership_proposed", &[("proposal_id", p.id.to_string()), ("proposer", proposer.id)]);
    tally(s, height, p, response)
}

pub fn vote(s: &mut dyn Storage, height: u64, info: &MessageInfo, proposal_id: u64, approve: bool) -> Result<Response> {
    let voter = require_member(s, info)?;
    let mut p = state::load_proposal(s, proposal_id)?
        .ok_or_else(|| ContractError::Rejected(format!("no membership proposal {proposal_id}")))?;
    if p.status != ProposalStatus::Open {
        return Err(ContractError::Rejected(format!("proposal {proposal_id} is already decided")));
    }
    if height > p.expires_height {
        return Err(ContractError::Rejected(format!("proposal {proposal_id} expired at height {}", p.expires_height)));
    }
    if !p.electorate.contains(&voter.id) {
        return Err(ContractError::Unauthorized(format!(
            "member {} was not a member when proposal {proposal_id} was made",
            show(&voter.id)
        )));
    }
    if p.yes.contains(&voter.id) || p.no.contains(&voter.id) {
        return Err(ContractError::Rejected(format!("member {} has already voted", show(&voter.id))));
    }
    if approve {
        p.yes.push(voter.id.clone());
    } else {
        p.no.push(voter.id.clone());
    }
    let response =
        Response::new().add_attribute("action", "vote_membership").add_attribute("proposal_id", proposal_id).add_event(
            "membership_voted",
            &[("proposal_id", proposal_id.to_string()), ("member", voter.id), ("approve", approve.to_string())],
        );
    tally(s, height, p, response)
}

/// Decides the proposal if the votes allow, applies a passed change, and stores it.
fn tally(s: &mut dyn Storage, height: u64, mut p: ProposalRecord, mut response: Response) -> Result<Response> {
    let needed = votes_needed(p.electorate.len());
    if p.yes.len() >= needed {
        p.status = ProposalStatus::Passed;
        let by = format!("proposal:{}", p.id);
        let applied = match &p.change {
            MembershipChange::Join { member } => admit(s, height, member, by)?,
            MembershipChange::Remove { id } => remove(s, height, id, by)?,
        };
        response.events.extend(applied.events);
    } else if p.no.len() > p.electorate.len() - needed {
        p.status = ProposalStatus::Rejected;
    }
    if p.status != ProposalStatus::Open {
        p.decided_height = Some(height);
    }
    let status = p.status;
    state::save_proposal(s, &p)?;
    Ok(response.add_attribute("status", status.as_str()))
}

fn all_proposals(s: &dyn Storage) -> Result<Vec<ProposalRecord>> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = state::proposals(s, after, 100)?;
        let last = page.last().map(|p| p.id);
        out.extend(page);
        match last {
            Some(id) if out.len() % 100 == 0 => after = Some(id),
            _ => return Ok(out),
        }
    }
}

pub fn update(s: &mut dyn Storage, height: u64, info: &MessageInfo, u: MemberUpdate) -> Result<Response> {
    let mut m = require_member(s, info)?;
    if u.name.is_none() && u.passport_jwks_url.is_none() && u.passport_key_ids.is_none() && u.beacon_url.is_none() {
        return Err(ContractError::Invalid("update changes nothing".into()));
    }
    if let Some(v) = u.name {
        validate_name(&v)?;
        m.name = v;
    }
    if let Some(v) = u.passport_jwks_url {
        validate_url("passport_jwks_url", &v)?;
        m.passport_jwks_url = v;
    }
    if let Some(v) = u.passport_key_ids {
        validate_key_ids(&v)?;
        m.passport_key_ids = v;
    }
    if let Some(v) = u.beacon_url {
        validate_url("beacon_url", &v)?;
        m.beacon_url = v;
    }
    m.updated_height = height;
    state::save_member(s, &m)?;
    Ok(Response::new()
        .add_attribute("action", "update_member")
        .add_attribute("member", &m.id)
        .add_event("member_updated", &[("member", m.id.clone())]))
}

pub fn leave(s: &mut dyn Storage, height: u64, info: &MessageInfo) -> Result<Response> {
    let m = require_member(s, info)?;
    Ok(remove(s, height, &m.id, "self".into())?.add_attribute("action", "leave_network"))
}
